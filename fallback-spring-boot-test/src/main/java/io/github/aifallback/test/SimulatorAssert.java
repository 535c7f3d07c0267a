package io.github.aifallback.test;

import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the requests the {@link FallbackSimulator} received.
 *
 * @since 0.1.0
 */
public class SimulatorAssert extends AbstractAssert<SimulatorAssert, FallbackSimulator> {

	SimulatorAssert(FallbackSimulator actual) {
		super(actual, SimulatorAssert.class);
	}

	/**
	 * The requests one entry received since the last reset.
	 * @param entry the entry's name
	 * @param requests the expected count
	 * @return this
	 */
	public SimulatorAssert hasReceived(String entry, int requests) {
		isNotNull();
		int received = this.actual.requests(entry);
		if (received != requests) {
			failWithMessage("Expected <%s> to receive %s request(s) but it received %s", entry, requests, received);
		}
		return this;
	}

	/**
	 * The entry received no request since the last reset.
	 * @param entry the entry's name
	 * @return this
	 */
	public SimulatorAssert hasReceivedNothing(String entry) {
		return hasReceived(entry, 0);
	}

}

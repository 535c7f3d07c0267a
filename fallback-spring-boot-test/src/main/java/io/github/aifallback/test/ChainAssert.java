package io.github.aifallback.test;

import io.github.aifallback.chat.ResilientChatClient;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link ResilientChatClient}'s chain.
 *
 * @since 0.1.0
 */
public class ChainAssert extends AbstractAssert<ChainAssert, ResilientChatClient> {

	ChainAssert(ResilientChatClient actual) {
		super(actual, ChainAssert.class);
	}

	/**
	 * Assertions on one entry's circuit.
	 * @param entry the entry's name
	 * @return the circuit's assertions
	 */
	public CircuitAssert circuit(String entry) {
		isNotNull();
		return new CircuitAssert(this.actual.circuitBreaker(entry));
	}

}

package io.github.aifallback.test;

import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.circuit.CircuitSnapshot;
import io.github.aifallback.chat.circuit.CircuitState;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on one entry's circuit, read from its {@link CircuitBreaker#snapshot()}.
 *
 * @since 0.1.0
 */
public class CircuitAssert extends AbstractAssert<CircuitAssert, CircuitBreaker> {

	CircuitAssert(CircuitBreaker actual) {
		super(actual, CircuitAssert.class);
	}

	/** @return this, when the circuit lets calls through */
	public CircuitAssert isClosed() {
		return hasState(CircuitState.CLOSED);
	}

	/** @return this, when the circuit keeps the entry out */
	public CircuitAssert isOpen() {
		return hasState(CircuitState.OPEN);
	}

	/** @return this, when the circuit admits probes */
	public CircuitAssert isHalfOpen() {
		return hasState(CircuitState.HALF_OPEN);
	}

	/**
	 * The circuit's state.
	 * @param state the expected state
	 * @return this
	 */
	public CircuitAssert hasState(CircuitState state) {
		isNotNull();
		CircuitSnapshot snapshot = this.actual.snapshot();
		if (snapshot.state() != state) {
			failWithMessage("Expected the circuit of <%s> to be %s but it was %s (%s)", snapshot.entry(), state,
					snapshot.state(), snapshot);
		}
		return this;
	}

}

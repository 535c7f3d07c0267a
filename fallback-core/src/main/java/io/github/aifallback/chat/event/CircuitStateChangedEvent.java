package io.github.aifallback.chat.event;

import java.time.Instant;

import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.circuit.CircuitTransition;
import io.github.aifallback.chat.circuit.Evidence;

/**
 * An entry's circuit changed state.
 *
 * @param entry the entry's name
 * @param from the previous state
 * @param to the new state
 * @param openUntil when an open circuit lets a probe through, or {@code null}
 * @param time when it changed
 * @param evidence why the circuit is not closed (open, half-open or forced open), or
 * {@code null} when it closed
 * @since 0.1.0
 */
public record CircuitStateChangedEvent(String entry, CircuitState from, CircuitState to, Instant openUntil,
		Instant time, Evidence evidence) implements FallbackEvent {

	/**
	 * An event without evidence (a closing, or a state change told by another source).
	 * @param entry the entry's name
	 * @param from the previous state
	 * @param to the new state
	 * @param openUntil when an open circuit lets a probe through, or {@code null}
	 * @param time when it changed
	 */
	public CircuitStateChangedEvent(String entry, CircuitState from, CircuitState to, Instant openUntil,
			Instant time) {
		this(entry, from, to, openUntil, time, null);
	}

	/**
	 * The event of a breaker's transition.
	 * @param transition what the breaker told
	 * @return the event
	 */
	public static CircuitStateChangedEvent of(CircuitTransition transition) {
		return new CircuitStateChangedEvent(transition.entry(), transition.from(), transition.to(),
				transition.openUntil(), transition.time(), transition.evidence());
	}

}

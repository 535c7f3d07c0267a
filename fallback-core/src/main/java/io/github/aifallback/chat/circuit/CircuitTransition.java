package io.github.aifallback.chat.circuit;

import java.time.Instant;

/**
 * A breaker's change of state, as the breaker tells it to whoever built it. The chain turns it
 * into a {@code CircuitStateChangedEvent} for its listeners: the breaker knows no event type,
 * so that the circuit package does not depend on the events package that describes it.
 *
 * @param entry the name of the breaker (the entry's, or the deployment's)
 * @param from the previous state
 * @param to the new state
 * @param openUntil when an open circuit lets a probe through, or {@code null}
 * @param time when it changed
 * @param evidence why the circuit is not closed, or {@code null} when it closed
 * @since 0.1.0
 */
public record CircuitTransition(String entry, CircuitState from, CircuitState to, Instant openUntil, Instant time,
		Evidence evidence) {

}

package io.github.aifallback.chat.event;

import java.time.Instant;

import io.github.aifallback.chat.circuit.CircuitState;

/**
 * An entry's circuit changed state.
 *
 * @param entry the entry's name
 * @param from the previous state
 * @param to the new state
 * @param openUntil when an open circuit lets a probe through, or {@code null}
 * @param time when it changed
 * @since 0.1.0
 */
public record CircuitStateChangedEvent(String entry, CircuitState from, CircuitState to, Instant openUntil,
		Instant time) implements FallbackEvent {

}

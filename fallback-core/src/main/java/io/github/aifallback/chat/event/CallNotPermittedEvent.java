package io.github.aifallback.chat.event;

import java.time.Instant;

import io.github.aifallback.chat.circuit.CircuitState;

/**
 * A call skipped an entry without trying it: its circuit did not let it through (open,
 * forced open, or half-open with its probe already out).
 *
 * @param entry the entry skipped
 * @param state its circuit's state then
 * @param time when it was skipped
 * @since 0.1.0
 */
public record CallNotPermittedEvent(String entry, CircuitState state, Instant time) implements FallbackEvent {

}

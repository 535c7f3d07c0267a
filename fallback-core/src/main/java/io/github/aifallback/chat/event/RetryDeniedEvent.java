package io.github.aifallback.chat.event;

import java.time.Instant;

import io.github.aifallback.chat.failure.FailureKind;

/**
 * A failed attempt would have been retried, but the entry's retry budget was spent: the
 * chain fell back (or ended) instead.
 *
 * @param entry the entry not retried
 * @param attempt the failed attempt's number on the entry
 * @param kind the failure that would have been retried
 * @param time when the retry was denied
 * @since 0.1.0
 */
public record RetryDeniedEvent(String entry, int attempt, FailureKind kind, Instant time) implements FallbackEvent {

}

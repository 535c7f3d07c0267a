package io.github.aifallback.chat.event;

import java.time.Duration;
import java.time.Instant;

import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureAction;

/**
 * An attempt failed.
 *
 * @param entry the entry's name
 * @param attempt the attempt's number on that entry, from 1
 * @param maxAttempts the attempts that entry was allowed
 * @param failure the classified failure
 * @param duration how long the attempt took
 * @param action what the chain does next
 * @param time when the attempt failed
 * @since 0.1.0
 */
public record AttemptFailedEvent(String entry, int attempt, int maxAttempts, Failure failure, Duration duration,
		FailureAction action, Instant time) implements FallbackEvent {

}

package io.github.aifallback.chat.event;

import java.time.Duration;
import java.time.Instant;

/**
 * An attempt got a usable answer.
 *
 * @param entry the entry's name
 * @param attempt the attempt's number on that entry, from 1
 * @param duration how long the attempt took
 * @param time when it succeeded
 * @since 0.1.0
 */
public record AttemptSucceededEvent(String entry, int attempt, Duration duration, Instant time)
		implements FallbackEvent {

}

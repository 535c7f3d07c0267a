package io.github.aifallback.chat.event;

import java.time.Duration;
import java.time.Instant;

/**
 * Every entry failed and a degraded answer was served instead: the last good answer to the
 * same request, or the configured fixed message.
 *
 * @param entry always {@code cache}
 * @param age the served answer's age ({@link Duration#ZERO} for the fixed message)
 * @param fixedMessage whether the fixed degraded message was served
 * @param failedAttempts how many attempts failed before
 * @param time when it was served
 * @since 0.1.0
 */
public record DegradedResponseEvent(String entry, Duration age, boolean fixedMessage, int failedAttempts,
		Instant time) implements FallbackEvent {

}

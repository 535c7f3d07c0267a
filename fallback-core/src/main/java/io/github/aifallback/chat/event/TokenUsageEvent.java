package io.github.aifallback.chat.event;

import java.time.Instant;

/**
 * The tokens a served answer used, as its provider reported them: published once per fresh
 * answer (blocking or stream), never for a degraded one.
 *
 * @param entry the entry that served the answer
 * @param inputTokens the prompt's tokens, {@code 0} when not reported
 * @param outputTokens the answer's tokens, {@code 0} when not reported
 * @param time when the answer was served
 * @since 0.1.0
 */
public record TokenUsageEvent(String entry, long inputTokens, long outputTokens, Instant time)
		implements FallbackEvent {

}

package io.github.aifallback.chat.event;

import java.time.Duration;
import java.time.Instant;

/**
 * A call through the chain ended.
 *
 * @param entry the entry that served, {@code cache} for a degraded answer, or {@code none}
 * @param outcome how it ended
 * @param attempts attempts made
 * @param duration how long the whole call took
 * @param time when it ended
 * @since 0.1.0
 */
public record CallCompletedEvent(String entry, Outcome outcome, int attempts, Duration duration, Instant time)
		implements FallbackEvent {

	/** The value of {@link #entry()} when nothing served. */
	public static final String NONE = "none";

	/**
	 * How a call ended.
	 */
	public enum Outcome {

		/** An entry served a fresh answer. */
		SERVED,

		/** Every entry failed; a degraded answer was served. */
		DEGRADED,

		/** Every entry failed and nothing could be served. */
		FAILED

	}

}

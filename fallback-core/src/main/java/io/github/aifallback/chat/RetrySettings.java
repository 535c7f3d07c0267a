package io.github.aifallback.chat;

import java.time.Duration;
import java.util.Objects;

/**
 * How an entry is retried: exponential backoff with optional jitter, capped per entry and
 * across the chain.
 *
 * @param maxAttempts attempts per entry, the first included (at least 1)
 * @param initialInterval wait before the first retry
 * @param multiplier growth of the wait from one retry to the next (at least 1)
 * @param maxInterval longest wait between two attempts; a longer {@code Retry-After} means
 * the entry is not retried
 * @param jitter whether waits are randomised (between half and all of the computed wait)
 * @param honorRetryAfter whether a provider's {@code Retry-After} replaces a shorter
 * computed wait
 * @param maxTotalAttempts attempts across the whole chain for one call (at least 1)
 * @since 0.1.0
 */
public record RetrySettings(int maxAttempts, Duration initialInterval, double multiplier, Duration maxInterval,
		boolean jitter, boolean honorRetryAfter, int maxTotalAttempts) {

	/** The defaults: 3 attempts, 500 ms doubling up to 10 s, jitter, Retry-After honoured, 8 in all. */
	public static final RetrySettings DEFAULTS = new RetrySettings(3, Duration.ofMillis(500), 2.0,
			Duration.ofSeconds(10), true, true, 8);

	/**
	 * Validate the settings.
	 */
	public RetrySettings {
		Objects.requireNonNull(initialInterval, "initialInterval");
		Objects.requireNonNull(maxInterval, "maxInterval");
		if (maxAttempts < 1 || maxTotalAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts and maxTotalAttempts must be at least 1");
		}
		if (initialInterval.isNegative() || maxInterval.isNegative() || multiplier < 1.0) {
			throw new IllegalArgumentException("intervals must not be negative and multiplier must be at least 1");
		}
	}

	/**
	 * The computed wait before retry number {@code retry} (1 for the first retry), before
	 * jitter: {@code initialInterval * multiplier^(retry-1)}, at most {@code maxInterval}.
	 * @param retry the retry number, from 1
	 * @return the wait
	 */
	public Duration intervalBefore(int retry) {
		double millis = this.initialInterval.toMillis() * Math.pow(this.multiplier, Math.max(0, retry - 1));
		long capped = (long) Math.min(millis, this.maxInterval.toMillis());
		return Duration.ofMillis(capped);
	}

}

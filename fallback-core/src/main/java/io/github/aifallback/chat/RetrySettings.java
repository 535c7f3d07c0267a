package io.github.aifallback.chat;

import java.time.Duration;
import java.util.Objects;

/**
 * How an entry is retried: exponential backoff with optional jitter, capped per entry and
 * across the chain. Immutable; built with {@link #custom()}, {@link #from(RetrySettings)} or
 * {@link #ofDefaults()}, which are the supported way to create it: the canonical constructor
 * stays public (a record's must) but takes every component in order, so it changes whenever a
 * setting is added.
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
	 * Validate the settings; prefer {@link #custom()}.
	 * @throws IllegalArgumentException naming the first setting out of range
	 */
	public RetrySettings {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
		}
		SettingsChecks.requireNotNegative(initialInterval, "initialInterval");
		if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
			throw new IllegalArgumentException("multiplier must be at least 1, not " + multiplier);
		}
		SettingsChecks.requireNotNegative(maxInterval, "maxInterval");
		if (maxTotalAttempts < 1) {
			throw new IllegalArgumentException("maxTotalAttempts must be at least 1, not " + maxTotalAttempts);
		}
	}

	/**
	 * A builder starting from the defaults.
	 * @return the builder
	 * @since 0.1.0
	 */
	public static Builder custom() {
		return new Builder(DEFAULTS);
	}

	/**
	 * A builder starting from other settings.
	 * @param base the settings to start from
	 * @return the builder
	 * @since 0.1.0
	 */
	public static Builder from(RetrySettings base) {
		return new Builder(Objects.requireNonNull(base, "base"));
	}

	/**
	 * The defaults.
	 * @return {@link #DEFAULTS}
	 * @since 0.1.0
	 */
	public static RetrySettings ofDefaults() {
		return DEFAULTS;
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

	/**
	 * Builds {@link RetrySettings}; validates when {@link #build()} is called.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private int maxAttempts;

		private Duration initialInterval;

		private double multiplier;

		private Duration maxInterval;

		private boolean jitter;

		private boolean honorRetryAfter;

		private int maxTotalAttempts;

		private Builder(RetrySettings base) {
			this.maxAttempts = base.maxAttempts;
			this.initialInterval = base.initialInterval;
			this.multiplier = base.multiplier;
			this.maxInterval = base.maxInterval;
			this.jitter = base.jitter;
			this.honorRetryAfter = base.honorRetryAfter;
			this.maxTotalAttempts = base.maxTotalAttempts;
		}

		/**
		 * Attempts per entry, the first included.
		 * @param maxAttempts at least 1 (default 3)
		 * @return this builder
		 */
		public Builder maxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
			return this;
		}

		/**
		 * The wait before the first retry.
		 * @param initialInterval zero or more (default 500 ms)
		 * @return this builder
		 */
		public Builder initialInterval(Duration initialInterval) {
			this.initialInterval = initialInterval;
			return this;
		}

		/**
		 * Growth of the wait from one retry to the next.
		 * @param multiplier at least 1 (default 2)
		 * @return this builder
		 */
		public Builder multiplier(double multiplier) {
			this.multiplier = multiplier;
			return this;
		}

		/**
		 * The longest wait between two attempts; a longer {@code Retry-After} means the entry
		 * is not retried.
		 * @param maxInterval zero or more (default 10 s)
		 * @return this builder
		 */
		public Builder maxInterval(Duration maxInterval) {
			this.maxInterval = maxInterval;
			return this;
		}

		/**
		 * The same wait before every retry: initial and longest interval both {@code interval},
		 * multiplier 1.
		 * @param interval zero or more
		 * @return this builder
		 */
		public Builder fixedInterval(Duration interval) {
			this.initialInterval = interval;
			this.maxInterval = interval;
			this.multiplier = 1.0;
			return this;
		}

		/**
		 * Whether waits are randomised, between half and all of the computed wait.
		 * @param jitter whether to randomise (default {@code true})
		 * @return this builder
		 */
		public Builder jitter(boolean jitter) {
			this.jitter = jitter;
			return this;
		}

		/**
		 * Whether a provider's {@code Retry-After} replaces a shorter computed wait.
		 * @param honorRetryAfter whether to honour it (default {@code true})
		 * @return this builder
		 */
		public Builder honorRetryAfter(boolean honorRetryAfter) {
			this.honorRetryAfter = honorRetryAfter;
			return this;
		}

		/**
		 * Attempts across the whole chain for one call.
		 * @param maxTotalAttempts at least 1 (default 8)
		 * @return this builder
		 */
		public Builder maxTotalAttempts(int maxTotalAttempts) {
			this.maxTotalAttempts = maxTotalAttempts;
			return this;
		}

		/**
		 * Validate and build.
		 * @return the settings
		 * @throws IllegalArgumentException naming the first setting out of range
		 */
		public RetrySettings build() {
			return new RetrySettings(this.maxAttempts, this.initialInterval, this.multiplier, this.maxInterval,
					this.jitter, this.honorRetryAfter, this.maxTotalAttempts);
		}

	}

}

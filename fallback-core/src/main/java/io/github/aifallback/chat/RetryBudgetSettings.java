package io.github.aifallback.chat;

import java.time.Duration;
import java.util.Objects;

/**
 * The size of each entry's {@link RetryBudget}: over any {@code window}, retries may be at
 * most {@code ratio} of the calls that reached the entry, or
 * {@code minRetriesPerSecond * window} when that is more (so that an entry with little
 * traffic can still retry). Immutable; built with {@link #custom()},
 * {@link #from(RetryBudgetSettings)} or {@link #ofDefaults()}, which are the supported way to
 * create it: the canonical constructor stays public (a record's must) but takes every
 * component in order, so it changes whenever a setting is added.
 *
 * @param ratio retries allowed per call that reached the entry, in [0, 1]
 * @param window the sliding window the counts are kept over (at least 1 ms)
 * @param minRetriesPerSecond retries always allowed per second of the window (0 or more)
 * @since 0.1.0
 */
public record RetryBudgetSettings(double ratio, Duration window, double minRetriesPerSecond) {

	/** The defaults: 20% over 10 s, at least 3 retries per second (30 per window). */
	public static final RetryBudgetSettings DEFAULTS = new RetryBudgetSettings(0.2, Duration.ofSeconds(10), 3);

	/**
	 * Validate the settings; prefer {@link #custom()}.
	 * @throws IllegalArgumentException naming the first setting out of range
	 */
	public RetryBudgetSettings {
		if (!(ratio >= 0 && ratio <= 1)) {
			throw new IllegalArgumentException("ratio must be between 0 and 1, not " + ratio);
		}
		SettingsChecks.requireNotNegative(window, "window");
		if (window.toMillis() < 1) {
			throw new IllegalArgumentException("window must be at least 1 ms, not " + window);
		}
		if (!(minRetriesPerSecond >= 0) || Double.isInfinite(minRetriesPerSecond)) {
			throw new IllegalArgumentException("minRetriesPerSecond must be 0 or more, not " + minRetriesPerSecond);
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
	public static Builder from(RetryBudgetSettings base) {
		return new Builder(Objects.requireNonNull(base, "base"));
	}

	/**
	 * The defaults.
	 * @return {@link #DEFAULTS}
	 * @since 0.1.0
	 */
	public static RetryBudgetSettings ofDefaults() {
		return DEFAULTS;
	}

	/**
	 * The retries always allowed in one window, whatever the traffic.
	 * @return {@code minRetriesPerSecond * window}, in retries
	 */
	public double floor() {
		return this.minRetriesPerSecond * this.window.toMillis() / 1000.0;
	}

	/**
	 * Builds {@link RetryBudgetSettings}; validates when {@link #build()} is called.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private double ratio;

		private Duration window;

		private double minRetriesPerSecond;

		private Builder(RetryBudgetSettings base) {
			this.ratio = base.ratio;
			this.window = base.window;
			this.minRetriesPerSecond = base.minRetriesPerSecond;
		}

		/**
		 * Retries allowed per call that reached the entry.
		 * @param ratio in [0, 1] (default 0.2)
		 * @return this builder
		 */
		public Builder ratio(double ratio) {
			this.ratio = ratio;
			return this;
		}

		/**
		 * The sliding window the counts are kept over.
		 * @param window at least 1 ms (default 10 s)
		 * @return this builder
		 */
		public Builder window(Duration window) {
			this.window = window;
			return this;
		}

		/**
		 * Retries always allowed per second of the window, whatever the traffic.
		 * @param minRetriesPerSecond 0 or more (default 3)
		 * @return this builder
		 */
		public Builder minRetriesPerSecond(double minRetriesPerSecond) {
			this.minRetriesPerSecond = minRetriesPerSecond;
			return this;
		}

		/**
		 * Validate and build.
		 * @return the settings
		 * @throws IllegalArgumentException naming the first setting out of range
		 */
		public RetryBudgetSettings build() {
			return new RetryBudgetSettings(this.ratio, this.window, this.minRetriesPerSecond);
		}

	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.Objects;

/**
 * The size of each entry's {@link RetryBudget}: over any {@code window}, retries may be at
 * most {@code ratio} of the calls that reached the entry, or
 * {@code minRetriesPerSecond * window} when that is more (so that an entry with little
 * traffic can still retry).
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
	 * Validate the settings.
	 */
	public RetryBudgetSettings {
		Objects.requireNonNull(window, "window");
		if (!(ratio >= 0 && ratio <= 1)) {
			throw new IllegalArgumentException("ratio must be between 0 and 1");
		}
		if (window.toMillis() < 1) {
			throw new IllegalArgumentException("window must be at least 1 ms");
		}
		if (!(minRetriesPerSecond >= 0) || Double.isInfinite(minRetriesPerSecond)) {
			throw new IllegalArgumentException("minRetriesPerSecond must be 0 or more");
		}
	}

	/**
	 * The retries always allowed in one window, whatever the traffic.
	 * @return {@code minRetriesPerSecond * window}, in retries
	 */
	public double floor() {
		return this.minRetriesPerSecond * this.window.toMillis() / 1000.0;
	}

}

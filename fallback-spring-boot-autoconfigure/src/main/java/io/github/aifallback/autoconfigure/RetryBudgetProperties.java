package io.github.aifallback.autoconfigure;

import java.time.Duration;

/**
 * The retry budget of each entry: over a sliding window, retries may add at most a share
 * of the calls that reached the entry, so that an outage does not multiply the load on
 * a provider that is already struggling.
 *
 * @since 0.1.0
 */
public class RetryBudgetProperties {

	/**
	 * Whether each entry's retries are budgeted. When an entry's budget is spent, a
	 * failure that would be retried falls back instead.
	 */
	private boolean enabled = true;

	/**
	 * Retries allowed per call that reached the entry within the window, between 0 and 1
	 * (0.2: retries add at most 20% to the entry's requests).
	 */
	private double ratio = 0.2;

	/**
	 * Sliding window over which calls and retries are counted.
	 */
	private Duration window = Duration.ofSeconds(10);

	/**
	 * Retries per second of the window always allowed, whatever the traffic, so that an
	 * entry with few calls can still retry (3 over a 10s window: 30 retries).
	 */
	private double minRetriesPerSecond = 3;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public double getRatio() {
		return this.ratio;
	}

	public void setRatio(double ratio) {
		this.ratio = ratio;
	}

	public Duration getWindow() {
		return this.window;
	}

	public void setWindow(Duration window) {
		this.window = window;
	}

	public double getMinRetriesPerSecond() {
		return this.minRetriesPerSecond;
	}

	public void setMinRetriesPerSecond(double minRetriesPerSecond) {
		this.minRetriesPerSecond = minRetriesPerSecond;
	}

}

package io.github.aifallback.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Retry of one entry with exponential backoff.
 *
 * @since 0.1.0
 */
public class RetryProperties {

	/**
	 * Attempts per entry, the first included.
	 */
	private int maxAttempts = 3;

	/**
	 * Wait before the first retry.
	 */
	private Duration initialInterval = Duration.ofMillis(500);

	/**
	 * Factor by which the wait grows from one retry to the next.
	 */
	private double multiplier = 2.0;

	/**
	 * Longest wait between two attempts. A Retry-After longer than this means the entry
	 * is not retried: the chain falls back at once.
	 */
	private Duration maxInterval = Duration.ofSeconds(10);

	/**
	 * Whether waits are randomised (between half and all of the computed wait), so that
	 * many clients do not retry in step.
	 */
	private boolean jitter = true;

	/**
	 * Whether a provider's Retry-After (or retry-after-ms) replaces a shorter computed
	 * wait.
	 */
	private boolean honorRetryAfter = true;

	/**
	 * Attempts across the whole chain for one call.
	 */
	private int maxTotalAttempts = 8;

	/**
	 * How far retries may add to each entry's load, across all calls.
	 */
	@NestedConfigurationProperty
	private final RetryBudgetProperties budget = new RetryBudgetProperties();

	public RetryBudgetProperties getBudget() {
		return this.budget;
	}

	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	public void setMaxAttempts(int maxAttempts) {
		this.maxAttempts = maxAttempts;
	}

	public Duration getInitialInterval() {
		return this.initialInterval;
	}

	public void setInitialInterval(Duration initialInterval) {
		this.initialInterval = initialInterval;
	}

	public double getMultiplier() {
		return this.multiplier;
	}

	public void setMultiplier(double multiplier) {
		this.multiplier = multiplier;
	}

	public Duration getMaxInterval() {
		return this.maxInterval;
	}

	public void setMaxInterval(Duration maxInterval) {
		this.maxInterval = maxInterval;
	}

	public boolean isJitter() {
		return this.jitter;
	}

	public void setJitter(boolean jitter) {
		this.jitter = jitter;
	}

	public boolean isHonorRetryAfter() {
		return this.honorRetryAfter;
	}

	public void setHonorRetryAfter(boolean honorRetryAfter) {
		this.honorRetryAfter = honorRetryAfter;
	}

	public int getMaxTotalAttempts() {
		return this.maxTotalAttempts;
	}

	public void setMaxTotalAttempts(int maxTotalAttempts) {
		this.maxTotalAttempts = maxTotalAttempts;
	}

}

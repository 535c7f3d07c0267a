package io.github.aifallback.autoconfigure;

import java.time.Duration;

/**
 * Circuit breaker settings of one entry; unset ones come from
 * ai.fallback.circuit-breaker.
 *
 * @since 0.1.0
 */
public class EntryCircuitBreakerProperties {

	/**
	 * Consecutive failures after which the entry is skipped (0: off). Defaults to
	 * ai.fallback.circuit-breaker.failure-threshold.
	 */
	private Integer failureThreshold;

	/**
	 * How long the entry is first skipped. Defaults to
	 * ai.fallback.circuit-breaker.open-duration.
	 */
	private Duration openDuration;

	/**
	 * Longest the entry is skipped. Defaults to
	 * ai.fallback.circuit-breaker.max-open-duration.
	 */
	private Duration maxOpenDuration;

	/**
	 * Calls the window must hold before its rates count. Defaults to
	 * ai.fallback.circuit-breaker.minimum-number-of-calls.
	 */
	private Integer minimumNumberOfCalls;

	/**
	 * Failure rate, in percent, that opens the circuit. Defaults to
	 * ai.fallback.circuit-breaker.failure-rate-threshold.
	 */
	private Float failureRateThreshold;

	/**
	 * Rate of slow calls, in percent, that opens the circuit. Defaults to
	 * ai.fallback.circuit-breaker.slow-call-rate-threshold.
	 */
	private Float slowCallRateThreshold;

	/**
	 * How long a successful call takes to count as slow. Defaults to
	 * ai.fallback.circuit-breaker.slow-call-duration-threshold.
	 */
	private Duration slowCallDurationThreshold;

	/**
	 * How long the entry takes to get all its traffic back after its circuit closes.
	 * Defaults to ai.fallback.circuit-breaker.slow-start.
	 */
	private Duration slowStart;

	public Integer getFailureThreshold() {
		return this.failureThreshold;
	}

	public void setFailureThreshold(Integer failureThreshold) {
		this.failureThreshold = failureThreshold;
	}

	public Duration getOpenDuration() {
		return this.openDuration;
	}

	public void setOpenDuration(Duration openDuration) {
		this.openDuration = openDuration;
	}

	public Duration getMaxOpenDuration() {
		return this.maxOpenDuration;
	}

	public void setMaxOpenDuration(Duration maxOpenDuration) {
		this.maxOpenDuration = maxOpenDuration;
	}

	public Integer getMinimumNumberOfCalls() {
		return this.minimumNumberOfCalls;
	}

	public void setMinimumNumberOfCalls(Integer minimumNumberOfCalls) {
		this.minimumNumberOfCalls = minimumNumberOfCalls;
	}

	public Float getFailureRateThreshold() {
		return this.failureRateThreshold;
	}

	public void setFailureRateThreshold(Float failureRateThreshold) {
		this.failureRateThreshold = failureRateThreshold;
	}

	public Float getSlowCallRateThreshold() {
		return this.slowCallRateThreshold;
	}

	public void setSlowCallRateThreshold(Float slowCallRateThreshold) {
		this.slowCallRateThreshold = slowCallRateThreshold;
	}

	public Duration getSlowCallDurationThreshold() {
		return this.slowCallDurationThreshold;
	}

	public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
		this.slowCallDurationThreshold = slowCallDurationThreshold;
	}

	public Duration getSlowStart() {
		return this.slowStart;
	}

	public void setSlowStart(Duration slowStart) {
		this.slowStart = slowStart;
	}

}

package io.github.aifallback.autoconfigure;

import java.time.Duration;

import io.github.aifallback.chat.circuit.CircuitBreakerSettings;

/**
 * Circuit breaker of each chain entry: Resilience4j's sliding window, evidence, slow start.
 *
 * @since 0.1.0
 */
public class CircuitBreakerProperties {

	/**
	 * Consecutive failures that say the model is unwell (timeouts, connection, 5xx, rate
	 * limit) after which the entry is skipped, whatever the window says; 0 turns this rule off
	 * (the default: a short burst of our own overload must not open healthy circuits).
	 */
	private int failureThreshold = 0;

	/**
	 * How long an entry is first skipped; then the permitted half-open calls are let through.
	 */
	private Duration openDuration = Duration.ofSeconds(30);

	/**
	 * Longest an entry is skipped: a half-open period that fails on the provider's own
	 * evidence (not a timeout) doubles the last period, up to this; a Retry-After is capped
	 * by it too.
	 */
	private Duration maxOpenDuration = Duration.ofMinutes(5);

	/**
	 * How the window of recent calls is kept: the last N calls, or the calls of the last N
	 * seconds.
	 */
	private CircuitBreakerSettings.SlidingWindowType slidingWindowType = CircuitBreakerSettings.SlidingWindowType.COUNT_BASED;

	/**
	 * Size of the window: calls, or seconds when time-based.
	 */
	private int slidingWindowSize = 20;

	/**
	 * Calls the window must hold before its failure and slow-call rates can open the
	 * circuit.
	 */
	private int minimumNumberOfCalls = 10;

	/**
	 * Failure rate, in percent, of the calls in the window at or above which the circuit
	 * opens.
	 */
	private float failureRateThreshold = 50;

	/**
	 * Rate of slow calls, in percent, at or above which the circuit opens (100: only when
	 * every call in the window is slow).
	 */
	private float slowCallRateThreshold = 100;

	/**
	 * How long a successful call takes to count as slow.
	 */
	private Duration slowCallDurationThreshold = Duration.ofSeconds(60);

	/**
	 * Calls let through once the open period ends; their outcomes close or reopen the
	 * circuit.
	 */
	private int permittedNumberOfCallsInHalfOpenState = 3;

	/**
	 * How long a circuit that just closed takes to admit every call offered to it (from 10%
	 * up, a ramp); 0 admits them all at once.
	 */
	private Duration slowStart = Duration.ofSeconds(30);

	public int getFailureThreshold() {
		return this.failureThreshold;
	}

	public void setFailureThreshold(int failureThreshold) {
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

	public CircuitBreakerSettings.SlidingWindowType getSlidingWindowType() {
		return this.slidingWindowType;
	}

	public void setSlidingWindowType(CircuitBreakerSettings.SlidingWindowType slidingWindowType) {
		this.slidingWindowType = slidingWindowType;
	}

	public int getSlidingWindowSize() {
		return this.slidingWindowSize;
	}

	public void setSlidingWindowSize(int slidingWindowSize) {
		this.slidingWindowSize = slidingWindowSize;
	}

	public int getMinimumNumberOfCalls() {
		return this.minimumNumberOfCalls;
	}

	public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
		this.minimumNumberOfCalls = minimumNumberOfCalls;
	}

	public float getFailureRateThreshold() {
		return this.failureRateThreshold;
	}

	public void setFailureRateThreshold(float failureRateThreshold) {
		this.failureRateThreshold = failureRateThreshold;
	}

	public float getSlowCallRateThreshold() {
		return this.slowCallRateThreshold;
	}

	public void setSlowCallRateThreshold(float slowCallRateThreshold) {
		this.slowCallRateThreshold = slowCallRateThreshold;
	}

	public Duration getSlowCallDurationThreshold() {
		return this.slowCallDurationThreshold;
	}

	public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
		this.slowCallDurationThreshold = slowCallDurationThreshold;
	}

	public int getPermittedNumberOfCallsInHalfOpenState() {
		return this.permittedNumberOfCallsInHalfOpenState;
	}

	public void setPermittedNumberOfCallsInHalfOpenState(int permittedNumberOfCallsInHalfOpenState) {
		this.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState;
	}

	public Duration getSlowStart() {
		return this.slowStart;
	}

	public void setSlowStart(Duration slowStart) {
		this.slowStart = slowStart;
	}

}

package io.github.aifallback.chat.circuit;

import java.time.Duration;
import java.util.Objects;

import io.github.aifallback.chat.failure.FailureKind;

/**
 * When an entry's circuit opens, for how long, and how it takes traffic back: Resilience4j's
 * model (a sliding window of recent calls, a minimum number of calls, failure-rate and
 * slow-call-rate thresholds, permitted calls in half-open state), with an optional count of
 * consecutive failures and a slow start after closing. Immutable; built with
 * {@link #custom()}, {@link #from(CircuitBreakerSettings)} or {@link #ofDefaults()}.
 * <p>
 * The defaults stay closed through a short burst of failures: a circuit opens when at least
 * half of the last 20 calls (and at least 10 of them) failed in a way that says the model is
 * unwell; the consecutive-failures rule is off.
 *
 * @since 0.1.0
 */
public final class CircuitBreakerSettings {

	/** The defaults: see the class description. */
	public static final CircuitBreakerSettings DEFAULTS = new Builder().build();

	/** How the window of recent calls is kept. */
	public enum SlidingWindowType {

		/** The last {@code slidingWindowSize} calls. */
		COUNT_BASED,

		/** The calls of the last {@code slidingWindowSize} seconds. */
		TIME_BASED

	}

	private final int failureThreshold;

	private final Duration openDuration;

	private final Duration maxOpenDuration;

	private final SlidingWindowType slidingWindowType;

	private final int slidingWindowSize;

	private final int minimumNumberOfCalls;

	private final float failureRateThreshold;

	private final float slowCallRateThreshold;

	private final Duration slowCallDurationThreshold;

	private final int permittedNumberOfCallsInHalfOpenState;

	private final Duration slowStart;

	private CircuitBreakerSettings(Builder builder) {
		this.failureThreshold = builder.failureThreshold;
		this.openDuration = Objects.requireNonNull(builder.openDuration, "openDuration");
		this.maxOpenDuration = Objects.requireNonNull(builder.maxOpenDuration, "maxOpenDuration");
		this.slidingWindowType = Objects.requireNonNull(builder.slidingWindowType, "slidingWindowType");
		this.slidingWindowSize = builder.slidingWindowSize;
		this.minimumNumberOfCalls = builder.minimumNumberOfCalls;
		this.failureRateThreshold = builder.failureRateThreshold;
		this.slowCallRateThreshold = builder.slowCallRateThreshold;
		this.slowCallDurationThreshold = Objects.requireNonNull(builder.slowCallDurationThreshold,
				"slowCallDurationThreshold");
		this.permittedNumberOfCallsInHalfOpenState = builder.permittedNumberOfCallsInHalfOpenState;
		this.slowStart = Objects.requireNonNull(builder.slowStart, "slowStart");
		if (this.failureThreshold < 0) {
			throw new IllegalArgumentException("failureThreshold must be 0 (off) or more");
		}
		if (this.openDuration.isNegative() || this.openDuration.isZero()
				|| this.maxOpenDuration.compareTo(this.openDuration) < 0) {
			throw new IllegalArgumentException("openDuration must be positive and maxOpenDuration at least as long");
		}
		if (this.slidingWindowSize < 1 || this.minimumNumberOfCalls < 1) {
			throw new IllegalArgumentException("slidingWindowSize and minimumNumberOfCalls must be at least 1");
		}
		if (!(this.failureRateThreshold > 0 && this.failureRateThreshold <= 100)
				|| !(this.slowCallRateThreshold > 0 && this.slowCallRateThreshold <= 100)) {
			throw new IllegalArgumentException("failureRateThreshold and slowCallRateThreshold must be in (0, 100]");
		}
		if (this.slowCallDurationThreshold.isNegative() || this.slowCallDurationThreshold.isZero()) {
			throw new IllegalArgumentException("slowCallDurationThreshold must be positive");
		}
		if (this.permittedNumberOfCallsInHalfOpenState < 1) {
			throw new IllegalArgumentException("permittedNumberOfCallsInHalfOpenState must be at least 1");
		}
		if (this.slowStart.isNegative()) {
			throw new IllegalArgumentException("slowStart must be zero (off) or positive");
		}
	}

	/**
	 * The breaker of 0.2: opens after {@code failureThreshold} consecutive failures, lets one
	 * probe through when half-open, and takes all traffic back at once when it closes (the
	 * window's rates still apply, at their defaults).
	 * @param failureThreshold consecutive failures that open the circuit (0: off)
	 * @param openDuration how long the circuit first stays open
	 * @param maxOpenDuration the longest open period
	 */
	public CircuitBreakerSettings(int failureThreshold, Duration openDuration, Duration maxOpenDuration) {
		this(custom().failureThreshold(failureThreshold)
			.openDuration(openDuration)
			.maxOpenDuration(maxOpenDuration)
			.permittedNumberOfCallsInHalfOpenState(1)
			.slowStart(Duration.ZERO));
	}

	/**
	 * A builder with the defaults.
	 * @return the builder
	 * @since 0.1.0
	 */
	public static Builder custom() {
		return new Builder();
	}

	/**
	 * A builder starting from other settings.
	 * @param base the settings to start from
	 * @return the builder
	 * @since 0.1.0
	 */
	public static Builder from(CircuitBreakerSettings base) {
		return new Builder(base);
	}

	/**
	 * The defaults.
	 * @return {@link #DEFAULTS}
	 * @since 0.1.0
	 */
	public static CircuitBreakerSettings ofDefaults() {
		return DEFAULTS;
	}

	/**
	 * Consecutive failures (of kinds that say the model is unwell) that open the circuit
	 * whatever the window says; 0 when the rule is off.
	 * @return the threshold
	 */
	public int failureThreshold() {
		return this.failureThreshold;
	}

	/**
	 * How long the circuit first stays open.
	 * @return the duration
	 */
	public Duration openDuration() {
		return this.openDuration;
	}

	/**
	 * The longest open period: a probe that fails on the provider's own evidence doubles the
	 * last one, up to this; a provider's {@code Retry-After} is capped by it too.
	 * @return the duration
	 */
	public Duration maxOpenDuration() {
		return this.maxOpenDuration;
	}

	/**
	 * How the window of recent calls is kept.
	 * @return the type
	 * @since 0.1.0
	 */
	public SlidingWindowType slidingWindowType() {
		return this.slidingWindowType;
	}

	/**
	 * The window's size: calls, or seconds when time-based.
	 * @return the size
	 * @since 0.1.0
	 */
	public int slidingWindowSize() {
		return this.slidingWindowSize;
	}

	/**
	 * Calls the window must hold before its rates can open the circuit.
	 * @return the minimum
	 * @since 0.1.0
	 */
	public int minimumNumberOfCalls() {
		return this.minimumNumberOfCalls;
	}

	/**
	 * The failure rate, in percent, at or above which the circuit opens.
	 * @return the threshold
	 * @since 0.1.0
	 */
	public float failureRateThreshold() {
		return this.failureRateThreshold;
	}

	/**
	 * The rate of slow calls, in percent, at or above which the circuit opens (100: only
	 * when every call in the window is slow).
	 * @return the threshold
	 * @since 0.1.0
	 */
	public float slowCallRateThreshold() {
		return this.slowCallRateThreshold;
	}

	/**
	 * How long a successful call takes to count as slow.
	 * @return the duration
	 * @since 0.1.0
	 */
	public Duration slowCallDurationThreshold() {
		return this.slowCallDurationThreshold;
	}

	/**
	 * Calls let through in half-open state; their outcomes close or reopen the circuit.
	 * @return the number
	 * @since 0.1.0
	 */
	public int permittedNumberOfCallsInHalfOpenState() {
		return this.permittedNumberOfCallsInHalfOpenState;
	}

	/**
	 * How long a circuit that just closed takes to admit all the calls offered to it (a
	 * ramp from 10% to 100%); {@link Duration#ZERO} admits them all at once.
	 * @return the window
	 * @since 0.1.0
	 */
	public Duration slowStart() {
		return this.slowStart;
	}

	/**
	 * Whether a failure of this kind says the model is unwell (and so counts towards opening
	 * the circuit), rather than something about the request.
	 * @param kind the kind
	 * @return whether it counts
	 */
	public static boolean countsAgainstModel(FailureKind kind) {
		return switch (kind) {
			case TIMEOUT, CONNECTION, SERVER_ERROR, RATE_LIMITED, QUOTA_EXHAUSTED, AUTH, MODEL_NOT_FOUND -> true;
			case BAD_REQUEST, CONTEXT_TOO_LONG, INVALID_RESPONSE, REFUSED -> false;
		};
	}

	/**
	 * Whether a failure of this kind is the provider's explicit word that it will not serve
	 * (quota exhausted, authentication refused, no such model): it opens the circuit at once,
	 * and panic mode never overrides it. Timeouts, connection errors and server errors are
	 * only inferred evidence.
	 * @param kind the kind
	 * @return whether it is explicit
	 * @since 0.1.0
	 */
	public static boolean isExplicit(FailureKind kind) {
		return kind == FailureKind.QUOTA_EXHAUSTED || kind == FailureKind.AUTH || kind == FailureKind.MODEL_NOT_FOUND;
	}

	/**
	 * Whether a failed probe of this kind is evidence that the provider itself fails, so that
	 * the next open period doubles. A timeout is not: it also follows a flood of our own
	 * calls, or a machine too busy to read the answer in time.
	 * @param kind the kind
	 * @return whether the open period may grow
	 * @since 0.1.0
	 */
	public static boolean isProviderEvidence(FailureKind kind) {
		return countsAgainstModel(kind) && kind != FailureKind.TIMEOUT;
	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof CircuitBreakerSettings that)) {
			return false;
		}
		return this.failureThreshold == that.failureThreshold && this.openDuration.equals(that.openDuration)
				&& this.maxOpenDuration.equals(that.maxOpenDuration) && this.slidingWindowType == that.slidingWindowType
				&& this.slidingWindowSize == that.slidingWindowSize
				&& this.minimumNumberOfCalls == that.minimumNumberOfCalls
				&& Float.compare(this.failureRateThreshold, that.failureRateThreshold) == 0
				&& Float.compare(this.slowCallRateThreshold, that.slowCallRateThreshold) == 0
				&& this.slowCallDurationThreshold.equals(that.slowCallDurationThreshold)
				&& this.permittedNumberOfCallsInHalfOpenState == that.permittedNumberOfCallsInHalfOpenState
				&& this.slowStart.equals(that.slowStart);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.failureThreshold, this.openDuration, this.maxOpenDuration, this.slidingWindowType,
				this.slidingWindowSize, this.minimumNumberOfCalls, this.failureRateThreshold,
				this.slowCallRateThreshold, this.slowCallDurationThreshold, this.permittedNumberOfCallsInHalfOpenState,
				this.slowStart);
	}

	@Override
	public String toString() {
		return "CircuitBreakerSettings[failureThreshold=" + this.failureThreshold + ", openDuration="
				+ this.openDuration + ", maxOpenDuration=" + this.maxOpenDuration + ", window=" + this.slidingWindowType
				+ "/" + this.slidingWindowSize + ", minimumNumberOfCalls=" + this.minimumNumberOfCalls
				+ ", failureRateThreshold=" + this.failureRateThreshold + ", slowCallRateThreshold="
				+ this.slowCallRateThreshold + ", slowCallDurationThreshold=" + this.slowCallDurationThreshold
				+ ", permittedNumberOfCallsInHalfOpenState=" + this.permittedNumberOfCallsInHalfOpenState
				+ ", slowStart=" + this.slowStart + "]";
	}

	/**
	 * Builds {@link CircuitBreakerSettings}; starts from the defaults.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private int failureThreshold = 0;

		private Duration openDuration = Duration.ofSeconds(30);

		private Duration maxOpenDuration = Duration.ofMinutes(5);

		private SlidingWindowType slidingWindowType = SlidingWindowType.COUNT_BASED;

		private int slidingWindowSize = 20;

		private int minimumNumberOfCalls = 10;

		private float failureRateThreshold = 50;

		private float slowCallRateThreshold = 100;

		private Duration slowCallDurationThreshold = Duration.ofSeconds(60);

		private int permittedNumberOfCallsInHalfOpenState = 3;

		private Duration slowStart = Duration.ofSeconds(30);

		private Builder() {
		}

		private Builder(CircuitBreakerSettings base) {
			this.failureThreshold = base.failureThreshold;
			this.openDuration = base.openDuration;
			this.maxOpenDuration = base.maxOpenDuration;
			this.slidingWindowType = base.slidingWindowType;
			this.slidingWindowSize = base.slidingWindowSize;
			this.minimumNumberOfCalls = base.minimumNumberOfCalls;
			this.failureRateThreshold = base.failureRateThreshold;
			this.slowCallRateThreshold = base.slowCallRateThreshold;
			this.slowCallDurationThreshold = base.slowCallDurationThreshold;
			this.permittedNumberOfCallsInHalfOpenState = base.permittedNumberOfCallsInHalfOpenState;
			this.slowStart = base.slowStart;
		}

		/**
		 * Consecutive failures that open the circuit whatever the window says (0: off).
		 * @param failureThreshold the threshold
		 * @return this builder
		 */
		public Builder failureThreshold(int failureThreshold) {
			this.failureThreshold = failureThreshold;
			return this;
		}

		/**
		 * How long the circuit first stays open.
		 * @param openDuration the duration
		 * @return this builder
		 */
		public Builder openDuration(Duration openDuration) {
			this.openDuration = openDuration;
			return this;
		}

		/**
		 * The longest open period.
		 * @param maxOpenDuration the duration
		 * @return this builder
		 */
		public Builder maxOpenDuration(Duration maxOpenDuration) {
			this.maxOpenDuration = maxOpenDuration;
			return this;
		}

		/**
		 * How the window is kept, and its size (calls, or seconds when time-based).
		 * @param type the type
		 * @param size the size
		 * @return this builder
		 */
		public Builder slidingWindow(SlidingWindowType type, int size) {
			this.slidingWindowType = type;
			this.slidingWindowSize = size;
			return this;
		}

		/**
		 * Calls the window must hold before its rates can open the circuit.
		 * @param minimumNumberOfCalls the minimum
		 * @return this builder
		 */
		public Builder minimumNumberOfCalls(int minimumNumberOfCalls) {
			this.minimumNumberOfCalls = minimumNumberOfCalls;
			return this;
		}

		/**
		 * The failure rate, in percent, that opens the circuit.
		 * @param failureRateThreshold the threshold, in (0, 100]
		 * @return this builder
		 */
		public Builder failureRateThreshold(float failureRateThreshold) {
			this.failureRateThreshold = failureRateThreshold;
			return this;
		}

		/**
		 * The rate of slow calls, in percent, that opens the circuit.
		 * @param slowCallRateThreshold the threshold, in (0, 100]
		 * @return this builder
		 */
		public Builder slowCallRateThreshold(float slowCallRateThreshold) {
			this.slowCallRateThreshold = slowCallRateThreshold;
			return this;
		}

		/**
		 * How long a successful call takes to count as slow.
		 * @param slowCallDurationThreshold the duration
		 * @return this builder
		 */
		public Builder slowCallDurationThreshold(Duration slowCallDurationThreshold) {
			this.slowCallDurationThreshold = slowCallDurationThreshold;
			return this;
		}

		/**
		 * Calls let through in half-open state.
		 * @param permitted the number
		 * @return this builder
		 */
		public Builder permittedNumberOfCallsInHalfOpenState(int permitted) {
			this.permittedNumberOfCallsInHalfOpenState = permitted;
			return this;
		}

		/**
		 * The ramp of a circuit that just closed ({@link Duration#ZERO}: none).
		 * @param slowStart the window
		 * @return this builder
		 */
		public Builder slowStart(Duration slowStart) {
			this.slowStart = slowStart;
			return this;
		}

		/**
		 * Validate and build.
		 * @return the settings
		 * @throws IllegalArgumentException when a value is out of range
		 */
		public CircuitBreakerSettings build() {
			return new CircuitBreakerSettings(this);
		}

	}

}

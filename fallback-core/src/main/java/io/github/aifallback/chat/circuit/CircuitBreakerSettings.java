package io.github.aifallback.chat.circuit;

import java.time.Duration;
import java.util.Objects;

import io.github.aifallback.chat.FailureKind;

/**
 * When an entry's circuit opens and for how long.
 *
 * @param failureThreshold consecutive failures (of kinds that say the model is unwell) that
 * open the circuit
 * @param openDuration how long the circuit first stays open
 * @param maxOpenDuration the longest open period: each failed probe doubles the last one,
 * up to this
 * @since 0.1.0
 */
public record CircuitBreakerSettings(int failureThreshold, Duration openDuration, Duration maxOpenDuration) {

	/** The defaults: 5 failures, 30 s open, doubling up to 5 min. */
	public static final CircuitBreakerSettings DEFAULTS = new CircuitBreakerSettings(5, Duration.ofSeconds(30),
			Duration.ofMinutes(5));

	/**
	 * Validate the settings.
	 */
	public CircuitBreakerSettings {
		Objects.requireNonNull(openDuration, "openDuration");
		Objects.requireNonNull(maxOpenDuration, "maxOpenDuration");
		if (failureThreshold < 1) {
			throw new IllegalArgumentException("failureThreshold must be at least 1");
		}
		if (openDuration.isNegative() || openDuration.isZero() || maxOpenDuration.compareTo(openDuration) < 0) {
			throw new IllegalArgumentException("openDuration must be positive and maxOpenDuration at least as long");
		}
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

}

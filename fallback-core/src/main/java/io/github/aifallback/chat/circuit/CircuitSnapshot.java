package io.github.aifallback.chat.circuit;

import java.time.Instant;

import io.github.aifallback.chat.failure.FailureKind;

/**
 * One entry's recorded health at one moment, read without making any call.
 *
 * @param entry the entry's name
 * @param state the circuit's state
 * @param consecutiveFailures unwell failures since the last success
 * @param successes attempts that succeeded, since start or the last reset
 * @param failures attempts that failed, since start or the last reset
 * @param lastSuccess when an attempt last succeeded, or {@code null}
 * @param lastFailure when an attempt last failed, or {@code null}
 * @param lastFailureKind the kind of the last failure, or {@code null}
 * @param openUntil when an open circuit lets a probe through, or {@code null}
 * @param failureRate the failure rate of the window of recent calls, in percent, or -1 while
 * the window holds fewer than its minimum number of calls
 * @param slowCallRate the rate of slow calls in that window, in percent, or -1 likewise
 * @param evidence what keeps the entry out of rotation now, or {@code null} when nothing does
 * @param retryAfterUntil until when a provider's {@code Retry-After} keeps every call away, or
 * {@code null}
 * @param slowStartUntil until when a circuit that just closed still ramps its traffic up, or
 * {@code null}
 * @since 0.1.0
 */
public record CircuitSnapshot(String entry, CircuitState state, int consecutiveFailures, long successes,
		long failures, Instant lastSuccess, Instant lastFailure, FailureKind lastFailureKind, Instant openUntil,
		float failureRate, float slowCallRate, Evidence evidence, Instant retryAfterUntil, Instant slowStartUntil) {

	/**
	 * A snapshot of a breaker that keeps no window (rates unknown, nothing in force).
	 * @param entry the entry's name
	 * @param state the circuit's state
	 * @param consecutiveFailures unwell failures since the last success
	 * @param successes attempts that succeeded
	 * @param failures attempts that failed
	 * @param lastSuccess when an attempt last succeeded, or {@code null}
	 * @param lastFailure when an attempt last failed, or {@code null}
	 * @param lastFailureKind the kind of the last failure, or {@code null}
	 * @param openUntil when an open circuit lets a probe through, or {@code null}
	 */
	public CircuitSnapshot(String entry, CircuitState state, int consecutiveFailures, long successes, long failures,
			Instant lastSuccess, Instant lastFailure, FailureKind lastFailureKind, Instant openUntil) {
		this(entry, state, consecutiveFailures, successes, failures, lastSuccess, lastFailure, lastFailureKind,
				openUntil, -1f, -1f, null, null, null);
	}

}

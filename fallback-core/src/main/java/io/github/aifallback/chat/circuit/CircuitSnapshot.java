package io.github.aifallback.chat.circuit;

import java.time.Instant;

import io.github.aifallback.chat.FailureKind;

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
 * @since 0.1.0
 */
public record CircuitSnapshot(String entry, CircuitState state, int consecutiveFailures, long successes,
		long failures, Instant lastSuccess, Instant lastFailure, FailureKind lastFailureKind, Instant openUntil) {

}

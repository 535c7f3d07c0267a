package io.github.aifallback.chat;

import java.time.Duration;

/**
 * A classified attempt failure: its kind, the HTTP status when there was one, and the wait
 * the provider asked for.
 *
 * @param kind the kind of failure
 * @param status the HTTP status, or {@code 0} when no response arrived
 * @param retryAfter the wait the provider asked for ({@code Retry-After} or
 * {@code retry-after-ms}), or {@code null}
 * @since 0.1.0
 */
public record Failure(FailureKind kind, int status, Duration retryAfter) {

	/**
	 * A failure with no HTTP status and no requested wait.
	 * @param kind the kind
	 * @return the failure
	 */
	public static Failure of(FailureKind kind) {
		return new Failure(kind, 0, null);
	}

}

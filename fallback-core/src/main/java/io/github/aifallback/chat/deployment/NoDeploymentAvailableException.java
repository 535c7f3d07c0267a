package io.github.aifallback.chat.deployment;

import java.time.Duration;

import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;

/**
 * No deployment of an entry could take the attempt: each one's circuit is open, or each
 * one said it has no requests or tokens left until its window resets. No request was sent.
 * Classified as the failure that took the soonest-back deployment out (a rate limit when
 * headers did), with a Retry-After of when it is back: the chain then waits for it when
 * that fits, or falls back at once.
 *
 * @since 0.1.0
 */
public final class NoDeploymentAvailableException extends RuntimeException {

	private final transient Failure failure;

	NoDeploymentAvailableException(String entry, FailureKind kind, Duration retryAfter) {
		super("No deployment of '" + entry + "' is available" + ((retryAfter != null)
				? "; the first is back in " + retryAfter.toMillis() + " ms" : ""), null, false, false);
		this.failure = new Failure(kind, 0, retryAfter);
	}

	/**
	 * How the chain classifies it.
	 * @return the failure
	 */
	public Failure failure() {
		return this.failure;
	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import io.github.aifallback.chat.failure.FailureAction;

/**
 * Carries a failed attempt's decided next step out of the attempt, through the retry
 * engine, to the chain.
 */
final class FailedAttempt extends RuntimeException {

	private final FailureAction action;

	private final Duration waitBeforeRetry;

	FailedAttempt(FailureAction action, Duration waitBeforeRetry, Throwable cause) {
		super(null, cause, false, false);
		this.action = action;
		this.waitBeforeRetry = waitBeforeRetry;
	}

	boolean retry() {
		return this.action == FailureAction.RETRY;
	}

	FailureAction action() {
		return this.action;
	}

	Duration waitBeforeRetry() {
		return this.waitBeforeRetry;
	}

}

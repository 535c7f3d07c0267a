package io.github.aifallback.chat;

import java.time.Duration;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureAction;

/**
 * What to do after a failed attempt: retry after a wait, fall back, or stop. Pure: it
 * reads the failure, the settings, the attempts made and the time left.
 *
 * @param action the action
 * @param waitBeforeRetry the wait before a retry ({@link Duration#ZERO} otherwise)
 * @param description the action for the log line, e.g. "retrying in 480 ms"
 * @param retryDenied whether a retry was due but the entry's retry budget was spent
 */
record RetryDecision(FailureAction action, Duration waitBeforeRetry, String description, boolean retryDenied) {

	RetryDecision(FailureAction action, Duration waitBeforeRetry, String description) {
		this(action, waitBeforeRetry, description, false);
	}

	/**
	 * @param policy the failed entry's action per failure kind ({@link ResolvedEntry#policy()}:
	 * its own, else the chain's)
	 * @param attempt this attempt's number on its entry
	 * @param maxAttempts the entry's attempts
	 * @param attemptsSoFar attempts of the whole call, this one included
	 * @param circuitClosed whether the entry's circuit is still closed
	 * @param next the next entry's name, or {@code null}
	 * @param budget the entry's retry budget, or {@code null} when it has none; asked last,
	 * so that only a retry that would really be made takes from it
	 */
	static RetryDecision decide(ChainRuntime runtime, FallbackPolicy policy, Failure failure, int attempt,
			int maxAttempts, int attemptsSoFar, Duration timeLeft, boolean circuitClosed, String next,
			RetryBudget budget) {
		FailureAction action = policy.actionFor(failure.kind());
		if (action == FailureAction.STOP) {
			return new RetryDecision(FailureAction.STOP, Duration.ZERO,
					"stopping: policy for " + failure.kind() + " is stop");
		}
		if (action == FailureAction.FALL_BACK) {
			return fallBack(next, null);
		}
		if (!circuitClosed) {
			return fallBack(next, "its circuit is open");
		}
		if (attempt >= maxAttempts) {
			return fallBack(next, "attempts on this entry spent");
		}
		RetrySettings retry = runtime.retry;
		if (attemptsSoFar >= retry.maxTotalAttempts()) {
			return fallBack(null, "max-total-attempts reached");
		}
		Duration wait = jittered(retry, retry.intervalBefore(attempt), runtime.random.getAsDouble());
		Duration retryAfter = failure.retryAfter();
		if (retry.honorRetryAfter() && retryAfter != null) {
			if (retryAfter.compareTo(retry.maxInterval()) > 0) {
				return fallBack(next, "Retry-After of " + retryAfter.toMillis() + " ms exceeds max-interval");
			}
			wait = (retryAfter.compareTo(wait) > 0) ? retryAfter : wait;
		}
		if (wait.plus(runtime.minAttemptTime).compareTo(timeLeft) > 0) {
			return fallBack(next, "a wait of " + wait.toMillis() + " ms does not fit the deadline");
		}
		if (budget != null && !budget.tryAcquireRetry()) {
			RetryDecision fallBack = fallBack(next, "retry budget spent");
			return new RetryDecision(fallBack.action(), Duration.ZERO, fallBack.description(), true);
		}
		return new RetryDecision(FailureAction.RETRY, wait, "retrying in " + wait.toMillis() + " ms");
	}

	static RetryDecision fallBack(String next, String why) {
		String where = (next != null) ? "falling back to '" + next + "'" : "no entry left";
		return new RetryDecision(FailureAction.FALL_BACK, Duration.ZERO,
				(why != null) ? where + " (" + why + ")" : where);
	}

	/** Between half and all of the interval, so that many clients do not retry in step. */
	private static Duration jittered(RetrySettings retry, Duration interval, double random) {
		if (!retry.jitter() || interval.isZero()) {
			return interval;
		}
		long half = interval.toMillis() / 2;
		return Duration.ofMillis(half + (long) (random * (interval.toMillis() - half)));
	}

}

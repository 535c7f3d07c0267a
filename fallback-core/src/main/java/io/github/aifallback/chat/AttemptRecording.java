package io.github.aifallback.chat;

import java.time.Duration;

import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.event.AttemptFailedEvent;
import io.github.aifallback.chat.event.AttemptSucceededEvent;
import io.github.aifallback.chat.event.CallCompletedEvent;
import io.github.aifallback.chat.event.FellBackEvent;
import io.github.aifallback.chat.event.RetryDeniedEvent;
import io.github.aifallback.chat.failure.ErrorSanitizer;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one call records its attempts, whichever transport ran them: a failure classified
 * once, recorded on the circuit of the entry that failed, logged once, published, and
 * decided (retry, fall back, stop); a success recorded and published; a retry allowed or
 * not. Reached through {@link Attempt}, which makes sure each attempt is settled once. One of
 * the jobs of a call (see {@link CallContext}).
 */
final class AttemptRecording {

	private static final Logger logger = LoggerFactory.getLogger(ResilientChatClient.class);

	private final ChainRuntime runtime;

	private final CallContext call;

	AttemptRecording(CallContext call) {
		this.runtime = call.runtime;
		this.call = call;
	}

	/**
	 * Before a retry, after its backoff: the failure that leaves the entry now when other
	 * calls opened its circuit meanwhile, or when the wait used up the deadline (a sleeper
	 * may oversleep); otherwise {@code null}. The wait before it, if any, is over.
	 */
	FailedAttempt cannotRetry(ResolvedEntry entry, int attempt) {
		if (attempt == 1) {
			this.call.routing.tried(entry);
			recordRequest(entry.retryBudget());
			return null;
		}
		this.call.observation.waited();
		CallBudget budget = this.call.budget;
		Duration reserve = this.call.reserveAfter(entry);
		String why = (entry.breaker().state() != CircuitState.CLOSED) ? "its circuit opened meanwhile"
				: budget.belowFloor(budget.timeLeft()) ? "the deadline is reached"
				: budget.belowFloor(budget.timeLeft().minus(reserve))
						? "the time left is kept for the entries after it" : null;
		if (why == null) {
			return null;
		}
		// The failure before it settled the entry's last permit: there is none to give back.
		logger.debug("AI fallback: not retrying '{}', {}", entry.name(), why);
		return new FailedAttempt(FailureAction.FALL_BACK, Duration.ZERO, null);
	}

	/**
	 * The permit attempt {@code attempt} runs on: the first, the one the entry admitted the
	 * call with; a retry takes it again (the failure before it settled it, and each permit is
	 * settled exactly once), without a new admission: {@link #cannotRetry} checked the
	 * circuit, and a Retry-After the retry's wait honours must not turn it away.
	 * @return the permit
	 */
	static long permitFor(ResolvedEntry entry, long admitted, int attempt) {
		return (attempt == 1) ? admitted : entry.breaker().reacquire(admitted);
	}

	/** A call reached the entry: its retry budget grows (a no-op without one). */
	private static void recordRequest(RetryBudget budget) {
		if (budget == null) {
			return;
		}
		try {
			budget.recordRequest();
		}
		catch (RuntimeException ex) {
			// A shared budget whose store is down must not fail the call it counts.
			logger.debug("AI fallback: the retry budget failed to count a call: {}", ex.toString());
		}
	}

	/**
	 * Record a failed attempt and decide what follows; the caller throws the result. Nothing
	 * here may throw: classification is guarded, listeners are, and a decision that fails
	 * falls back.
	 */
	FailedAttempt failed(ResolvedEntry entry, long permit, int attempt, int maxAttempts, String next, Throwable ex,
			Duration took) {
		Failure failure = classify(entry, ex);
		entry.breaker().recordFailure(failure, permit);
		this.call.routing.failed(entry, failure.kind());
		RetryDecision decision = honest(decide(entry, failure, attempt, maxAttempts, next), next);
		this.call.marks.attempts.add(new AttemptRecord(entry.name(), attempt, maxAttempts, failure.kind(),
				failure.status(), took, decision.action()));
		logger.warn("AI fallback: attempt {}/{} on '{}' failed: {}{} after {} ms; {}", attempt, maxAttempts,
				entry.name(), failure.kind(), status(failure), took.toMillis(), decision.description());
		this.runtime.publish(new AttemptFailedEvent(entry.name(), attempt, maxAttempts, failure, took,
				decision.action(), this.runtime.clock.instant()));
		this.call.observation.attemptFailed(failure.kind(), decision.action());
		if (decision.action() == FailureAction.RETRY) {
			this.call.observation.waiting(entry, decision.waitBeforeRetry());
		}
		else if (decision.retryDenied()) {
			logger.debug("AI fallback: not retrying '{}': its retry budget is spent", entry.name());
			this.runtime.publish(new RetryDeniedEvent(entry.name(), attempt, failure.kind(), this.runtime.clock.instant()));
		}
		if (decision.action() == FailureAction.FALL_BACK && next != null) {
			this.runtime.publish(new FellBackEvent(entry.name(), next, failure.kind(), this.runtime.clock.instant()));
		}
		return new FailedAttempt(decision.action(), decision.waitBeforeRetry(), ex);
	}

	/**
	 * A fallback the call cannot make (no time or attempts left for the next entry) is said
	 * as it is: the log line must say what happens, not what would.
	 */
	private RetryDecision honest(RetryDecision decision, String next) {
		int recorded = this.call.marks.attempts.size();
		if (decision.action() != FailureAction.FALL_BACK || next == null || this.call.budget.fitsOneMore(recorded)) {
			return decision;
		}
		return RetryDecision.fallBack(null,
				(recorded + 1 >= this.runtime.retry.maxTotalAttempts()) ? "max-total-attempts reached"
						: "the deadline is reached");
	}

	private RetryDecision decide(ResolvedEntry entry, Failure failure, int attempt, int maxAttempts, String next) {
		try {
			return RetryDecision.decide(this.runtime, entry.policy(), failure, attempt, maxAttempts,
					this.call.marks.attempts.size() + 1, this.call.timeLeft().minus(this.call.reserveAfter(entry)),
					entry.breaker().state() == CircuitState.CLOSED, next, entry.retryBudget());
		}
		catch (RuntimeException ex) {
			// Only user-supplied parts (the jitter source, a policy) can throw here.
			logger.warn("AI fallback: deciding after a failure threw {}; falling back", ex.toString());
			return RetryDecision.fallBack(next, "the retry decision failed");
		}
	}

	/**
	 * Record a stream that failed after its first token. Without {@code continueOn}: no
	 * retry, no fallback, the call is over. With it (the stream continues on that entry):
	 * recorded as a fallback, and the call goes on; the exception returned ends it only if
	 * the continuation fails too ({@link CallMarks#endCut}).
	 * @param chunks chunks the subscriber received, from every entry
	 * @param characters characters the subscriber received, from every entry
	 * @param continueOn the entry the stream continues on, or {@code null}
	 */
	StreamInterruptedException interrupted(ResolvedEntry entry, long permit, int attempt, int maxAttempts,
			Throwable ex, Duration took, int chunks, int characters, String continueOn) {
		Failure failure = classify(entry, ex);
		entry.breaker().recordFailure(failure, permit);
		FailureAction action = (continueOn != null) ? FailureAction.FALL_BACK : FailureAction.STOP;
		this.call.marks.attempts.add(new AttemptRecord(entry.name(), attempt, maxAttempts, failure.kind(),
				failure.status(), took, action));
		logger.warn("AI fallback: stream from '{}' failed: {}{} after {} chunk(s), {} ms; {}", entry.name(),
				failure.kind(), status(failure), chunks, took.toMillis(), (continueOn != null)
						? "continuing it on '" + continueOn + "' (stream continuation)" : "ending it, incomplete");
		this.runtime.publish(new AttemptFailedEvent(entry.name(), attempt, maxAttempts, failure, took, action,
				this.runtime.clock.instant()));
		this.call.observation.attemptFailed(failure.kind(), action);
		if (continueOn != null) {
			this.runtime.publish(new FellBackEvent(entry.name(), continueOn, failure.kind(), this.runtime.clock.instant()));
		}
		else {
			this.call.marks.completed(entry.name(), CallCompletedEvent.Outcome.FAILED);
		}
		return new StreamInterruptedException(entry.name(), chunks, characters, failure.kind(),
				ErrorSanitizer.sanitize(ex, failure, this.runtime.secrets, this.call.marks.requestTexts()));
	}

	/**
	 * The entry was full (its concurrency limit, or its model's own threads): the call goes
	 * on without an attempt there, and nothing is recorded against the provider. The permit
	 * goes back unused.
	 * @return the fallback that moves the call on
	 */
	FailedAttempt overloaded(ResolvedEntry entry, long permit, String why) {
		entry.breaker().release(permit);
		this.call.routing.full(entry, why);
		return new FailedAttempt(FailureAction.FALL_BACK, Duration.ZERO, null);
	}

	void succeeded(ResolvedEntry entry, long permit, int attempt, Duration took) {
		entry.breaker().recordSuccess(permit, took);
		this.call.observation.attemptSucceeded();
		this.runtime.publish(new AttemptSucceededEvent(entry.name(), attempt, took, this.runtime.clock.instant()));
	}

	/**
	 * Classify, never throwing, with the provider's message cleaned of keys and of this
	 * request's texts before events carry it to listeners. Remembered for the exception
	 * that ends the call.
	 */
	private Failure classify(ResolvedEntry entry, Throwable ex) {
		Failure failure = Classification.classify(entry.classifier(), ex);
		if (failure.message() != null) {
			failure = failure.withMessage(
					ErrorSanitizer.redact(failure.message(), this.runtime.secrets, this.call.marks.requestTexts()));
		}
		this.call.marks.lastFailure = failure;
		return failure;
	}

	/** How the entry's classifier sees a failure, without recording it; never throws. */
	static FailureKind kindOf(ResolvedEntry entry, Throwable ex) {
		return Classification.classify(entry.classifier(), ex).kind();
	}

	private static String status(Failure failure) {
		String status = (failure.status() != 0) ? " (HTTP " + failure.status() + ")" : "";
		// Why an answer was refused or rejected: the engine's or the validator's words, redacted.
		boolean answer = failure.kind() == FailureKind.REFUSED || failure.kind() == FailureKind.INVALID_RESPONSE;
		return (answer && failure.message() != null) ? status + " (" + failure.message() + ")" : status;
	}

}

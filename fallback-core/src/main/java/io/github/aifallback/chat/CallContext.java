package io.github.aifallback.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.event.AttemptFailedEvent;
import io.github.aifallback.chat.event.AttemptSucceededEvent;
import io.github.aifallback.chat.event.CallCompletedEvent;
import io.github.aifallback.chat.event.CallNotPermittedEvent;
import io.github.aifallback.chat.event.FellBackEvent;
import io.github.aifallback.chat.event.RetryDeniedEvent;
import io.github.aifallback.chat.failure.ErrorSanitizer;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;
import io.micrometer.observation.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.prompt.Prompt;

/**
 * One call through the chain, whether it blocks or streams: which entries it may use (skips,
 * circuits, panic) and how each failed attempt is recorded (classified once, recorded on the
 * entry's circuit, logged once, published) and decided (retry, fall back, stop). Its other
 * jobs have their own types: its deadline and attempt budget ({@link CallBudget}), how it
 * ends and what it says ({@link CallMarks}), its observation ({@link CallObservation}); each
 * attempt's permit and recording go through an {@link Attempt}.
 */
final class CallContext {

	private static final Logger logger = LoggerFactory.getLogger(ResilientChatClient.class);

	final ChainRuntime runtime;

	final Prompt prompt;

	/** This call's observations; {@link CallObservation#NONE} with the no-op registry. */
	final CallObservation observation;

	/** The call's deadline and attempt budget. */
	final CallBudget budget;

	/** How the call ends and what it says. */
	final CallMarks marks;

	/** The failed attempts, in order: the marks' own. */
	private final List<AttemptRecord> attempts;

	private boolean anyAdmitted;

	/** The entries this call made an attempt on, by name; most calls try one or two. */
	private final List<String> tried = new ArrayList<>(2);

	/** Which entries this call skips and why; {@code null} when no entry declares capabilities. */
	private final EntrySkips skips;

	/**
	 * Entries skipped for the moment (no request left until their provider's window resets,
	 * or full: a concurrency limit, all their threads busy), "name: reason" each;
	 * {@code null} until one is.
	 */
	private List<String> rateLimited;

	/**
	 * @param key the request's last-good key, resolved on the caller's thread (see
	 * {@link LastGoodAnswers#resolveKey}), or {@code null}
	 * @param stream whether the call streams
	 * @param parent the parent of the call's observation (a stream's, from its Reactor
	 * context), or {@code null} for the thread's current one
	 */
	CallContext(ChainRuntime runtime, Prompt prompt, String key, boolean stream, Observation parent) {
		this.runtime = runtime;
		this.prompt = prompt;
		this.budget = new CallBudget(runtime);
		this.observation = CallObservation.start(runtime, stream, parent);
		this.skips = (runtime.capabilities != null) ? new EntrySkips(runtime.capabilities, prompt) : null;
		this.marks = new CallMarks(runtime, prompt, this.observation, this.budget, new LastGoodAnswers(runtime, key),
				this::skipped);
		this.attempts = this.marks.attempts;
	}

	/**
	 * Whether this call skips the entry: it declares it cannot serve the request, or it says
	 * no request is left until its provider's window resets. A skip spends no attempt and no
	 * circuit permit, and records no failure.
	 */
	boolean skips(ResolvedEntry entry) {
		if (this.skips != null && this.skips.skip(entry.name())) {
			return true;
		}
		Instant until = unavailableUntil(entry);
		if (until == null) {
			return false;
		}
		if (this.rateLimited == null) {
			this.rateLimited = new ArrayList<>(2);
		}
		this.rateLimited.add(entry.name() + ": rate limit: none left until " + until);
		logger.debug("AI fallback: skipping '{}': rate limit, none left until {}", entry.name(), until);
		return true;
	}

	/** The entry's word on when it can serve again; one that throws is taken as available. */
	private static Instant unavailableUntil(ResolvedEntry entry) {
		try {
			return entry.entryModel().unavailableUntil();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** Every entry this call skipped, "name: reason" each, in order; empty when none. */
	private List<String> skipped() {
		List<String> capabilities = (this.skips != null) ? this.skips.skipped() : List.of();
		if (this.rateLimited == null) {
			return capabilities;
		}
		List<String> all = new ArrayList<>(capabilities);
		all.addAll(this.rateLimited);
		return all;
	}

	/**
	 * Why no further attempt may start, or {@code null} when one may. No attempt starts with
	 * less than the floor of time left: it could not finish, and the SDK reads a zero
	 * timeout as none at all.
	 */
	String exhausted() {
		return this.budget.exhausted(this.attempts.size());
	}

	/** Why the chain is exhausted when its loop ends without a budget or deadline reason. */
	String initialReason() {
		List<String> skipped = skipped();
		if (!this.anyAdmitted && !skipped.isEmpty()) {
			return (skipped.size() == this.runtime.chain.size() && this.rateLimited == null)
					? "no entry can serve this request (skipped " + skipped + ")"
					: "every entry was skipped or its circuit is open (skipped " + skipped + ")";
		}
		return this.anyAdmitted ? "every entry failed" : "every circuit is open";
	}

	/**
	 * Ask the entry's circuit to let the call through: a probe permit when it is half-open.
	 * When every circuit is open the call goes nowhere (each entry still admits its one
	 * probe when its open period, Retry-After included, is over): it is served the last good
	 * answer or fails fast, instead of hitting providers that said they are down. A denial is
	 * published, for the not-permitted metric.
	 * @return the permit, or {@link CircuitBreaker#DENIED}
	 */
	long admits(ResolvedEntry entry) {
		long permit = entry.breaker().acquire();
		if (permit == CircuitBreaker.DENIED && nextAfter(entry) == null) {
			// A slow start shifts calls to the entries after it; with none to take this one,
			// the ramping (healthy) entry takes it, retries and all.
			permit = rampGivesWay(entry);
		}
		if (permit == CircuitBreaker.DENIED) {
			CircuitState state = entry.breaker().state();
			logger.debug("AI fallback: skipping '{}', its circuit is {}", entry.name(), state);
			this.runtime.publish(new CallNotPermittedEvent(entry.name(), state, this.runtime.clock.instant()));
		}
		else {
			this.anyAdmitted = true;
		}
		return permit;
	}

	/**
	 * The last resort of a call that no entry served (they refused it, were full, or failed)
	 * and that found no last good answer, while its deadline and max-total-attempts leave
	 * room: an entry it has not tried whose open period ended meanwhile, or whose slow start
	 * refused it, takes it; else, in
	 * panic mode (enough of the chain out on inferred evidence alone that refusing would turn
	 * a burst of our own overload into an outage of healthy providers), the entry most likely
	 * to answer among those out on inferred evidence (see {@link ChainPanic#candidates}). One
	 * attempt, without retries. A provider's explicit word (a Retry-After in force, quota,
	 * authentication) and an operator's forced opening are never overridden.
	 * @return the entry and its permit, or {@code null} when the call has nowhere to go
	 */
	PanicAttempt panic() {
		ChainPanic panic = this.runtime.panic;
		if (exhausted() != null) {
			return null;
		}
		// Only entries this call has not tried: it is about the ones that refused it.
		Predicate<ResolvedEntry> usable = (entry) -> !this.tried.contains(entry.name())
				&& (this.skips == null || this.skips.reason(entry.name()) == null) && unavailableUntil(entry) == null;
		// A second look: an open period may have ended since the loop asked, and a slow start
		// shifts calls to other entries but must not refuse one that none of them took.
		for (ResolvedEntry entry : this.runtime.chain) {
			if (!usable.test(entry)) {
				continue;
			}
			long permit = entry.breaker().acquire();
			if (permit == CircuitBreaker.DENIED) {
				permit = rampGivesWay(entry);
			}
			if (permit != CircuitBreaker.DENIED) {
				this.anyAdmitted = true;
				logger.debug("AI fallback: '{}' takes a call no entry took at first", entry.name());
				return new PanicAttempt(entry, permit);
			}
		}
		for (ResolvedEntry candidate : panic.candidates(this.runtime.chain, usable)) {
			long permit = candidate.breaker().acquireInPanic();
			if (permit != CircuitBreaker.DENIED) {
				this.anyAdmitted = true;
				this.marks.panicked = true;
				logger.warn("AI fallback: panic mode: {} of the chain is out on inferred evidence; sending the call "
						+ "to '{}' anyway", panic.describe(this.runtime.chain), candidate.name());
				return new PanicAttempt(candidate, permit);
			}
		}
		return null;
	}

	/**
	 * The permit of an entry whose slow start refused a call that it must take after all, or
	 * {@link CircuitBreaker#DENIED} when something else refused it.
	 */
	private static long rampGivesWay(ResolvedEntry entry) {
		return entry.breaker().isSlowStarting() ? entry.breaker().acquireInPanic() : CircuitBreaker.DENIED;
	}

	/** The entry a call in panic mode tries, and the permit its circuit gave. */
	record PanicAttempt(ResolvedEntry entry, long permit) {
	}

	/**
	 * The entry was full (its concurrency limit, or its model's own threads): the call goes
	 * on without an attempt there, and nothing is recorded against the provider. The permit
	 * goes back unused.
	 * @return the fallback that moves the call on
	 */
	FailedAttempt overloaded(ResolvedEntry entry, long permit, String why) {
		entry.breaker().release(permit);
		if (this.rateLimited == null) {
			this.rateLimited = new ArrayList<>(2);
		}
		this.rateLimited.add(entry.name() + ": " + why);
		logger.debug("AI fallback: skipping '{}': {}", entry.name(), why);
		this.runtime.publish(new CallNotPermittedEvent(entry.name(), entry.breaker().state(),
				this.runtime.clock.instant()));
		return new FailedAttempt(FailureAction.FALL_BACK, Duration.ZERO, null);
	}

	/** Why the call ends when its last resort (see {@link #panic()}) failed too. */
	String lastResortFailed(ResolvedEntry entry) {
		return this.marks.panicked ? "panic mode: the attempt on '" + entry.name() + "' failed too"
				: "'" + entry.name() + "', which took the call on a second look, failed too";
	}

	/** Whether this call was sent in panic mode. */
	boolean panicked() {
		return this.marks.panicked;
	}

	/**
	 * The entry a fallback from entry {@code index} would reach: the next one that would be
	 * admitted now, or {@code null}. Only names it, for the log line and the event.
	 */
	String nextAfter(int index) {
		ResolvedEntry next = nextEntry(index + 1);
		return (next != null) ? next.name() : null;
	}

	/**
	 * The entry after {@code entry} that this call could use now: its circuit would admit
	 * it, and the call does not skip it (capabilities, window, rate limit). What a hedge
	 * races against, and what a fallback reaches.
	 * @return the entry, or {@code null} when there is none
	 */
	ResolvedEntry nextAfter(ResolvedEntry entry) {
		return nextEntry(this.runtime.chain.indexOf(entry) + 1);
	}

	private ResolvedEntry nextEntry(int from) {
		List<ResolvedEntry> entries = this.runtime.chain;
		for (int i = from; i < entries.size(); i++) {
			ResolvedEntry candidate = entries.get(i);
			if (candidate.breaker().isAvailable()
					&& (this.skips == null || this.skips.reason(candidate.name()) == null)
					&& unavailableUntil(candidate) == null) {
				return candidate;
			}
		}
		return null;
	}

	/**
	 * Before a retry, after its backoff: the failure that leaves the entry now when other
	 * calls opened its circuit meanwhile, or when the wait used up the deadline (a sleeper
	 * may oversleep); otherwise {@code null}. The wait before it, if any, is over.
	 */
	FailedAttempt cannotRetry(ResolvedEntry entry, int attempt) {
		if (attempt == 1) {
			this.tried.add(entry.name());
			recordRequest(entry.retryBudget());
			return null;
		}
		this.observation.waited();
		Duration reserve = reserveAfter(entry);
		String why = (entry.breaker().state() != CircuitState.CLOSED) ? "its circuit opened meanwhile"
				: this.budget.belowFloor(timeLeft()) ? "the deadline is reached"
				: this.budget.belowFloor(timeLeft().minus(reserve))
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
	long permitFor(ResolvedEntry entry, long admitted, int attempt) {
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
	 * A wait of the entry's cut to the entry's share of the deadline (see
	 * {@link CallBudget#within}).
	 */
	Duration within(Duration limit, ResolvedEntry entry) {
		return this.budget.within(limit, reserveAfter(entry));
	}

	/** The time kept for the entries after this one: the floor, when one of them could serve. */
	Duration reserveAfter(ResolvedEntry entry) {
		return this.budget.reserve(nextAfter(entry) != null);
	}

	long now() {
		return this.budget.now();
	}

	Duration since(long startedMillis) {
		return this.budget.since(startedMillis);
	}

	Duration timeLeft() {
		return this.budget.timeLeft();
	}

	/**
	 * Record a failed attempt and decide what follows; the caller throws the result. Nothing
	 * here may throw: classification is guarded, listeners are, and a decision that fails
	 * falls back.
	 */
	FailedAttempt failed(ResolvedEntry entry, long permit, int attempt, int maxAttempts,
			String next, Throwable ex, Duration took) {
		Failure failure = classify(entry, ex);
		entry.breaker().recordFailure(failure, permit);
		if (this.skips != null) {
			this.skips.failed(entry.name(), failure.kind());
		}
		RetryDecision decision = honest(decide(entry, failure, attempt, maxAttempts, next), next);
		this.attempts.add(new AttemptRecord(entry.name(), attempt, maxAttempts, failure.kind(), failure.status(), took,
				decision.action()));
		logger.warn("AI fallback: attempt {}/{} on '{}' failed: {}{} after {} ms; {}", attempt, maxAttempts,
				entry.name(), failure.kind(), status(failure), took.toMillis(), decision.description());
		this.runtime.publish(new AttemptFailedEvent(entry.name(), attempt, maxAttempts, failure, took,
				decision.action(), this.runtime.clock.instant()));
		this.observation.attemptFailed(failure.kind(), decision.action());
		if (decision.action() == FailureAction.RETRY) {
			this.observation.waiting(entry, decision.waitBeforeRetry());
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
		if (decision.action() != FailureAction.FALL_BACK || next == null
				|| this.budget.fitsOneMore(this.attempts.size())) {
			return decision;
		}
		return RetryDecision.fallBack(null,
				(this.attempts.size() + 1 >= this.runtime.retry.maxTotalAttempts()) ? "max-total-attempts reached"
						: "the deadline is reached");
	}

	private RetryDecision decide(ResolvedEntry entry, Failure failure, int attempt, int maxAttempts, String next) {
		try {
			return RetryDecision.decide(this.runtime, entry.policy(), failure, attempt, maxAttempts,
					this.attempts.size() + 1, timeLeft().minus(reserveAfter(entry)),
					entry.breaker().state() == CircuitState.CLOSED, next,
					entry.retryBudget());
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
	 * the continuation fails too ({@link #endCut}).
	 * @param chunks chunks the subscriber received, from every entry
	 * @param characters characters the subscriber received, from every entry
	 * @param continueOn the entry the stream continues on, or {@code null}
	 */
	StreamInterruptedException interrupted(ResolvedEntry entry, long permit, int attempt,
			int maxAttempts, Throwable ex, Duration took, int chunks, int characters, String continueOn) {
		Failure failure = classify(entry, ex);
		entry.breaker().recordFailure(failure, permit);
		FailureAction action = (continueOn != null) ? FailureAction.FALL_BACK : FailureAction.STOP;
		this.attempts.add(new AttemptRecord(entry.name(), attempt, maxAttempts, failure.kind(), failure.status(), took,
				action));
		logger.warn("AI fallback: stream from '{}' failed: {}{} after {} chunk(s), {} ms; {}", entry.name(),
				failure.kind(), status(failure), chunks, took.toMillis(), (continueOn != null)
						? "continuing it on '" + continueOn + "' (stream continuation)" : "ending it, incomplete");
		this.runtime.publish(new AttemptFailedEvent(entry.name(), attempt, maxAttempts, failure, took, action,
				this.runtime.clock.instant()));
		this.observation.attemptFailed(failure.kind(), action);
		if (continueOn != null) {
			this.runtime.publish(new FellBackEvent(entry.name(), continueOn, failure.kind(), this.runtime.clock.instant()));
		}
		else {
			this.marks.completed(entry.name(), CallCompletedEvent.Outcome.FAILED);
		}
		return new StreamInterruptedException(entry.name(), chunks, characters, failure.kind(),
				ErrorSanitizer.sanitize(ex, failure, this.runtime.secrets, this.marks.requestTexts()));
	}

	/**
	 * Whether a cut stream may continue on another entry: the attempt about to be recorded
	 * leaves one within max-total-attempts, and the deadline leaves time for it.
	 */
	boolean mayContinue() {
		return this.budget.fitsOneMore(this.attempts.size());
	}

	/**
	 * Classify, never throwing, with the provider's message cleaned of keys and of this
	 * request's texts before events carry it to listeners. Remembered for the exception
	 * that ends the call.
	 */
	private Failure classify(ResolvedEntry entry, Throwable ex) {
		Failure failure = Classification.classify(entry.classifier(), ex);
		if (failure.message() != null) {
			failure = failure.withMessage(ErrorSanitizer.redact(failure.message(), this.runtime.secrets, this.marks.requestTexts()));
		}
		this.marks.lastFailure = failure;
		return failure;
	}

	/** How the entry's classifier sees a failure, without recording it; never throws. */
	FailureKind kindOf(ResolvedEntry entry, Throwable ex) {
		return Classification.classify(entry.classifier(), ex).kind();
	}

	void succeeded(ResolvedEntry entry, long permit, int attempt, Duration took) {
		entry.breaker().recordSuccess(permit, took);
		this.observation.attemptSucceeded();
		this.runtime.publish(new AttemptSucceededEvent(entry.name(), attempt, took, this.runtime.clock.instant()));
	}

	private static String status(Failure failure) {
		String status = (failure.status() != 0) ? " (HTTP " + failure.status() + ")" : "";
		// Why an answer was refused or rejected: the engine's or the validator's words, redacted.
		boolean answer = failure.kind() == FailureKind.REFUSED || failure.kind() == FailureKind.INVALID_RESPONSE;
		return (answer && failure.message() != null) ? status + " (" + failure.message() + ")" : status;
	}

}

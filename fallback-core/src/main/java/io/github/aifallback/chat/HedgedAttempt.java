package io.github.aifallback.chat;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.micrometer.observation.Observation;

import org.springframework.ai.chat.model.ChatResponse;
import io.github.aifallback.chat.failure.AttemptTimeoutException;
import io.github.aifallback.chat.internal.AttemptCancellation;

/**
 * One blocking attempt of a hedged entry: the attempt runs on a hedging thread while the
 * caller's thread waits; when it has not answered after the entry's hedge delay, the next
 * admitted entry starts in parallel (if the hedge budget allows), and the first successful
 * answer wins. The loser is cancelled and gives its circuit permit back without a failure:
 * its HTTP call is cancelled where the adapter registered how ({@link AttemptCancellation}:
 * the OpenAI and Anthropic adapters' OkHttp calls, whose blocking read ignores interrupts),
 * and its thread is interrupted (all a {@code ChatModel} bean's call gets). Each attempt of
 * the race holds its own permit, has its own observation and records its own outcome, on
 * the caller's thread only: the call's context is not shared with the racing threads. The
 * answers are validated on the caller's thread too, where the application's validator can
 * read its thread-locals; a rejected answer is that side's failure, and the other side may
 * still win.
 * <p>
 * The primary's last outcome is left to {@link ChainCall} (returned, or thrown as it came),
 * so that without a hedge, or when the primary fails before the hedge starts, the chain
 * behaves exactly as it does for an entry that is not hedged. What the race decides (which
 * hedge starts, who won, how it is marked, whose failure counts) is {@link HedgeRace}'s;
 * this class is its blocking transport: threads, a queue, cancellation.
 */
final class HedgedAttempt {

	/** Calls one entry within a timeout, with the attempt's observation current (or none). */
	@FunctionalInterface
	interface Model {

		ChatResponse call(ResolvedEntry entry, Duration timeout, Observation observed);

	}

	private record Outcome(boolean primary, ChatResponse response, Throwable error, long finishedMillis) {

		boolean ok() {
			return this.error == null;
		}

	}

	private static final Duration GRACE = Duration.ofSeconds(1);

	private final HedgeRace race;

	private final CallContext call;

	private final ResolvedEntry entry;

	/** The primary's attempt: its permit and recording. */
	private final Attempt primary;

	/** The primary's observation, or {@code null}. */
	private final Observation observed;

	private final AttemptCancellation primaryCancellation = new AttemptCancellation();

	private final BlockingQueue<Outcome> done = new ArrayBlockingQueue<>(2);

	private long started;

	private Future<?> primaryRun;

	/** The hedge's attempt, once it started. */
	private Attempt hedgeAttempt;

	private long hedgeStarted;

	private Future<?> hedgeRun;

	private Observation hedgeObserved;

	private AttemptCancellation hedgeCancellation;

	private boolean hedgeWon;

	/**
	 * @param observed the primary attempt's observation, the current one of the call's
	 * {@link CallObservation}; or {@code null}
	 */
	HedgedAttempt(HedgeRace race, Observation observed) {
		this.race = race;
		this.call = race.call;
		this.observed = observed;
		this.primary = race.primary;
		this.entry = race.entry;
	}

	/** Whether the hedge's answer won the race (its success is recorded). */
	boolean hedgeWon() {
		return this.hedgeWon;
	}

	/**
	 * Run the race.
	 * @param model calls an entry
	 * @param validation checks an answer (throws when it is rejected), on the caller's thread
	 * @param timeout the primary's attempt timeout
	 * @return the winner's answer, validated; when the hedge won its success is recorded,
	 * when the primary won ChainCall records it
	 * @throws FailedAttempt the primary's recorded failure, when both failed and the hedge
	 * ended last
	 * @throws RuntimeException the primary's failure as it came, not yet recorded
	 */
	ChatResponse run(Model model, UnaryOperator<ChatResponse> validation, Duration timeout) {
		Hedging hedging = this.call.runtime.hedging;
		this.race.begin();
		this.started = this.call.now();
		this.primaryRun = hedging.submit(
				() -> race(true, model, this.entry, timeout, this.observed, this.primaryCancellation));
		if (this.primaryRun == null) {
			// Every hedging thread is busy: no race, the attempt runs here.
			return answered(validation.apply(model.call(this.entry, timeout, this.observed)));
		}
		Outcome first = await(this.entry.hedge().delay(), validation);
		if (first == null) {
			startHedge(hedging, model);
			first = await(this.call.timeLeft().plus(GRACE), validation);
			if (first == null) {
				abandon();
				throw new AttemptTimeoutException("No entry of the hedged attempt answered within the deadline");
			}
		}
		if (this.hedgeAttempt == null || first.ok() && first.primary()) {
			return primaryOutcome(first);
		}
		if (first.ok()) {
			return hedgeWon(first, true);
		}
		FailedAttempt primaryFailed = null;
		if (first.primary()) {
			this.call.observation.select(this.observed);
			this.race.primaryFailed();
			primaryFailed = this.primary.failed(first.error(), took(first, this.started));
		}
		else {
			hedgeFailed(first);
		}
		Outcome second = await(this.call.timeLeft().plus(GRACE), validation);
		if (second == null) {
			abandon();
			if (primaryFailed != null) {
				throw this.race.neitherWon(primaryFailed);
			}
			throw new AttemptTimeoutException("The hedged entry did not answer within the deadline");
		}
		if (second.primary()) {
			return primaryOutcome(second);
		}
		if (second.ok()) {
			return hedgeWon(second, false);
		}
		hedgeFailed(second);
		throw this.race.neitherWon(primaryFailed);
	}

	private Object race(boolean primary, Model model, ResolvedEntry raced, Duration timeout, Observation observed,
			AttemptCancellation cancellation) {
		ChatResponse response = null;
		Throwable error = null;
		cancellation.enter();
		try {
			response = model.call(raced, timeout, observed);
		}
		catch (Throwable ex) {
			error = ex;
		}
		finally {
			cancellation.close();
		}
		this.done.offer(new Outcome(primary, response, error, this.call.now()));
		return null;
	}

	/** The primary still runs after the delay: start the hedge the race decides on, if any. */
	private void startHedge(Hedging hedging, Model model) {
		Attempt hedgeAttempt = this.race.startHedge();
		if (hedgeAttempt == null) {
			return;
		}
		ResolvedEntry candidate = hedgeAttempt.entry;
		Duration timeout = hedgeAttempt.timeout();
		// Its own observation, beside the primary's, which stays the one recorded by default.
		CallObservation observation = this.call.observation;
		Observation hedgeObserved = observation.attemptStarted(candidate, 1, candidate.maxAttempts());
		observation.select(this.observed);
		AttemptCancellation cancellation = new AttemptCancellation();
		this.hedgeStarted = this.call.now();
		Future<?> run = hedging.submit(() -> race(false, model, candidate, timeout, hedgeObserved, cancellation));
		if (run == null) {
			// No thread to run it: the hedge never started, so it spends nothing.
			this.race.notStarted();
			abandoned(hedgeObserved);
			return;
		}
		this.hedgeObserved = hedgeObserved;
		this.hedgeCancellation = cancellation;
		this.hedgeAttempt = hedgeAttempt;
		this.hedgeRun = run;
	}

	/** The primary's outcome, for ChainCall to record; a hedge still running lost. */
	private ChatResponse primaryOutcome(Outcome outcome) {
		if (!outcome.ok()) {
			throw rethrown(outcome.error());
		}
		if (this.hedgeRun != null) {
			// The hedge still runs (one that failed has its failure recorded instead).
			lost(this.hedgeAttempt, this.hedgeRun, this.hedgeCancellation, this.hedgeObserved);
		}
		this.race.won(true);
		return answered(outcome.response());
	}

	private ChatResponse answered(ChatResponse response) {
		this.entry.hedge().answered(this.call.since(this.started));
		return response;
	}

	/**
	 * @param primaryRunning whether the primary is still running (else it failed, and its
	 * failure is recorded)
	 */
	private ChatResponse hedgeWon(Outcome outcome, boolean primaryRunning) {
		this.hedgeWon = true;
		Duration took = took(outcome, this.hedgeStarted);
		if (primaryRunning) {
			lost(this.primary, this.primaryRun, this.primaryCancellation, this.observed);
		}
		this.call.observation.select(this.hedgeObserved);
		this.hedgeAttempt.succeeded(took);
		ResolvedEntry hedge = this.hedgeAttempt.entry;
		if (hedge.hedge() != null) {
			hedge.hedge().answered(took);
		}
		this.race.won(false);
		return outcome.response();
	}

	private void hedgeFailed(Outcome outcome) {
		Throwable error = outcome.error();
		if (Fatal.isFatal(error)) {
			// abandon() gives the hedge's permit back.
			abandon();
			throw rethrown(error);
		}
		// Recorded on the hedge's circuit and published; its decision is not acted on, the
		// primary's is.
		this.race.hedgeFailed();
		CallObservation observation = this.call.observation;
		observation.select(this.hedgeObserved);
		this.hedgeAttempt.failed(error, took(outcome, this.hedgeStarted));
		observation.select(this.observed);
		// Its permit is spent on the failure: nothing left to give back.
		this.hedgeRun = null;
	}

	/**
	 * The loser is cancelled: its HTTP call (where the adapter allows) and its thread, its
	 * permit goes back, its observation stops as cancelled, its answer (if any comes) is
	 * ignored.
	 */
	private void lost(Attempt loser, Future<?> run, AttemptCancellation cancellation, Observation observed) {
		cancellation.cancel();
		run.cancel(true);
		loser.abandon();
		abandoned(observed);
	}

	/** Stop a raced attempt's observation as cancelled; the primary's stays the current one. */
	private void abandoned(Observation observed) {
		CallObservation observation = this.call.observation;
		observation.select(observed);
		observation.attemptAbandoned();
		observation.select(this.observed);
	}

	/**
	 * The caller gives up on the race: both stop, the hedge's permit goes back and its
	 * observation stops; the primary's are left to ChainCall.
	 */
	private void abandon() {
		if (this.primaryRun != null) {
			this.primaryCancellation.cancel();
			this.primaryRun.cancel(true);
		}
		if (this.hedgeRun != null) {
			this.hedgeCancellation.cancel();
			this.hedgeRun.cancel(true);
			this.hedgeAttempt.abandon();
			this.hedgeRun = null;
			abandoned(this.hedgeObserved);
		}
	}

	/**
	 * The next outcome, its answer validated here, on the caller's thread: a rejected
	 * answer is that side's failure.
	 */
	private Outcome await(Duration wait, UnaryOperator<ChatResponse> validation) {
		Outcome outcome = await(wait);
		if (outcome == null || !outcome.ok()) {
			return outcome;
		}
		try {
			return new Outcome(outcome.primary(), validation.apply(outcome.response()), null,
					outcome.finishedMillis());
		}
		catch (Throwable ex) {
			if (Fatal.isFatal(ex)) {
				abandon();
				throw ex;
			}
			return new Outcome(outcome.primary(), null, ex, outcome.finishedMillis());
		}
	}

	private Outcome await(Duration wait) {
		try {
			return this.done.poll(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			// The caller wants out: stop both, keep its interrupt for the chain.
			abandon();
			Thread.currentThread().interrupt();
			throw new UncheckedIOException(new InterruptedIOException("Interrupted while waiting for the model"));
		}
	}

	private Duration took(Outcome outcome, long since) {
		return Duration.ofMillis(Math.max(0, outcome.finishedMillis() - since));
	}

	private static RuntimeException rethrown(Throwable error) {
		if (error instanceof RuntimeException runtime) {
			return runtime;
		}
		if (error instanceof Error fatal) {
			throw fatal;
		}
		return new IllegalStateException(error);
	}

}

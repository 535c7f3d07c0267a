package io.github.aifallback.chat;

import java.time.Duration;

import io.micrometer.observation.Observation;

import org.springframework.ai.chat.prompt.Prompt;

/**
 * One call through the chain, whether it blocks or streams: a thin holder of its jobs, each
 * a type of its own. Which entries it may use ({@link EntryRouting}), how each attempt is
 * recorded and what follows it ({@link AttemptRecording}), its deadline and attempt budget
 * ({@link CallBudget}), how it ends and what it says ({@link CallMarks}), its observation
 * ({@link CallObservation}). The loop over them is {@link CallPlan}'s; each attempt's permit
 * and recording go through an {@link Attempt}.
 */
final class CallContext {

	final ChainRuntime runtime;

	final Prompt prompt;

	/** This call's observations; {@link CallObservation#NONE} with the no-op registry. */
	final CallObservation observation;

	/** The call's deadline and attempt budget. */
	final CallBudget budget;

	/** How the call ends and what it says. */
	final CallMarks marks;

	/** Which entries the call may use. */
	final EntryRouting routing;

	/** How its attempts are recorded and decided. */
	final AttemptRecording recording;

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
		EntryRouting[] routing = new EntryRouting[1];
		this.marks = new CallMarks(runtime, prompt, this.observation, this.budget,
				new LastGoodAnswers(runtime, key, stream), () -> routing[0].skipped());
		this.routing = new EntryRouting(runtime, prompt, this.marks);
		routing[0] = this.routing;
		this.recording = new AttemptRecording(this);
	}

	/**
	 * Why no further attempt may start, or {@code null} when one may. No attempt starts with
	 * less than the floor of time left: it could not finish, and the SDK reads a zero
	 * timeout as none at all.
	 */
	String exhausted() {
		return this.budget.exhausted(this.marks.attempts.size());
	}

	/**
	 * Whether a cut stream may continue on another entry: the attempt about to be recorded
	 * leaves one within max-total-attempts, and the deadline leaves time for it.
	 */
	boolean mayContinue() {
		return this.budget.fitsOneMore(this.marks.attempts.size());
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
		return this.budget.reserve(this.routing.nextAfter(entry) != null);
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

}

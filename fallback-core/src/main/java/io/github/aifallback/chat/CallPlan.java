package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.failure.FailureAction;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * The one skeleton of a call, blocking or streaming: entries in order (skipped, admitted or
 * not), each attempt retried as its failure decides, a hedged entry raced, a cut stream
 * continued on the entry after the one cut, and when the chain is exhausted the last good
 * answer, else the last resort (a second look or panic mode), else the typed end. It decides;
 * a {@link Transport} only carries out: sends an attempt, races two, waits a backoff, looks
 * up the degraded answer. {@link ChainCall} is the blocking transport, {@link StreamCall}
 * the reactive one.
 * <p>
 * Used by one call, one step at a time: a stream's steps run on whatever thread its
 * previous step ended on, never two at once.
 */
final class CallPlan {

	/**
	 * What a call's transport does for the plan, without a decision of its own. {@code R}
	 * is what a step yields: the answer itself for a blocking call (a failure is thrown), a
	 * {@code Flux} of chunks for a stream (a failure is signalled).
	 */
	interface Transport<R> {

		/** Send one attempt and settle it (see {@link Attempt}), the call served if it answers. */
		R send(Attempt attempt);

		/** Send a hedged entry's attempt, raced against a hedge (see {@link HedgeRace}). */
		R race(HedgeRace race);

		/**
		 * Attempts 1, 2, ... on one entry until one yields or fails without a retry; before
		 * each retry, the wait its failure decided.
		 */
		R retrying(ResolvedEntry entry, IntFunction<R> attempt);

		/** What {@code step} yields, or when it fails with a {@link FailedAttempt}, what {@code then} makes of it. */
		R recover(Supplier<R> step, Function<FailedAttempt, R> then);

		/** What {@code step} yields, made when it is needed. */
		R defer(Supplier<R> step);

		/** The call ends in {@code ex}. */
		R fail(RuntimeException ex);

		/** The degraded answer (the last good one, marked), or when there is none {@code otherwise}. */
		R degradedOr(String reason, Supplier<R> otherwise);

	}

	/** An entry the call tries: admitted with {@code permit}. */
	private record Step(ResolvedEntry entry, long permit, int maxAttempts, String next, boolean lastResort) {
	}

	final CallContext call;

	/** The next entry to look at. */
	private int index;

	private Throwable lastCause;

	/** Why the loop stopped before the end of the chain (the budget or deadline), or {@code null}. */
	private String stopped;

	/** What entries are sent: the caller's prompt, or after a cut the continuation's. */
	private Prompt prompt;

	/** After a cut that continues: the text the subscriber already has, else empty. */
	private String delivered = "";

	private int deliveredChunks;

	/** The entry whose cut stream is being continued, or {@code null}. */
	private String continuedFrom;

	/** The cut being continued: it ends the stream if no continuation completes. */
	private StreamInterruptedException cut;

	CallPlan(CallContext call) {
		this.call = call;
		this.prompt = call.prompt;
	}

	/** The whole call, carried out by {@code transport}. */
	<R> R run(Transport<R> transport) {
		return transport.defer(() -> fromHere(transport));
	}

	private <R> R fromHere(Transport<R> transport) {
		Step step = nextStep();
		if (step == null) {
			return exhausted(transport);
		}
		return transport.recover(() -> attempts(transport, step), (failed) -> {
			RuntimeException end = leftEntry(failed);
			return (end != null) ? transport.fail(end) : fromHere(transport);
		});
	}

	/** The next entry the call tries, admitted; or {@code null} when the chain is exhausted. */
	private Step nextStep() {
		List<ResolvedEntry> entries = this.call.runtime.chain;
		while (this.index < entries.size()) {
			this.stopped = this.call.exhausted();
			if (this.stopped != null) {
				return null;
			}
			int at = this.index++;
			ResolvedEntry entry = entries.get(at);
			if (this.call.routing.skips(entry)) {
				continue;
			}
			long permit = this.call.routing.admits(entry);
			if (permit != CircuitBreaker.DENIED) {
				return new Step(entry, permit, entry.maxAttempts(), this.call.routing.nextAfter(at), false);
			}
		}
		return null;
	}

	/** An entry failed for good: the call goes on to the next (or the one after a cut), or ends. */
	private RuntimeException leftEntry(FailedAttempt failed) {
		this.lastCause = (failed.getCause() != null) ? failed.getCause() : this.lastCause;
		if (failed.action() != FailureAction.STOP) {
			return null;
		}
		return (this.cut != null) ? this.call.marks.endCut(this.cut)
				: this.call.marks.allFailed("stopped by policy", this.lastCause);
	}

	private <R> R attempts(Transport<R> transport, Step step) {
		return transport.retrying(step.entry(), (n) -> transport.defer(() -> attempt(transport, step, n)));
	}

	/** Attempt {@code n} on the step's entry: it owns its permit from here (see {@link Attempt}). */
	private <R> R attempt(Transport<R> transport, Step step, int n) {
		ResolvedEntry entry = step.entry();
		FailedAttempt cannotRetry = this.call.recording.cannotRetry(entry, n);
		if (cannotRetry != null) {
			return transport.fail(cannotRetry);
		}
		Attempt made = new Attempt(this.call, entry, AttemptRecording.permitFor(entry, step.permit(), n), n,
				step.maxAttempts(), step.next());
		// The last resort is one attempt: never a race.
		return (entry.hedge() == null || step.lastResort()) ? transport.send(made)
				: transport.race(new HedgeRace(this.call, made));
	}

	private <R> R exhausted(Transport<R> transport) {
		if (this.cut != null) {
			// The subscriber has part of an answer: never a degraded one after it.
			return transport.fail(this.call.marks.endCut(this.cut));
		}
		String reason = (this.stopped != null) ? this.stopped : this.call.routing.initialReason();
		return transport.degradedOr(reason, () -> lastResort(transport, reason));
	}

	/** No answer and no last good one: the second look or panic mode's one attempt (see {@link EntryRouting#panic}). */
	private <R> R lastResort(Transport<R> transport, String reason) {
		EntryRouting.PanicAttempt panic = this.call.routing.panic(this.call.exhausted() != null);
		if (panic == null) {
			return transport.fail(this.call.marks.allFailed(reason, this.lastCause));
		}
		ResolvedEntry entry = panic.entry();
		Step step = new Step(entry, panic.permit(), 1, null, true);
		return transport.recover(() -> attempts(transport, step), (failed) -> {
			this.lastCause = (failed.getCause() != null) ? failed.getCause() : this.lastCause;
			return transport.fail(this.call.marks.allFailed(this.call.routing.lastResortFailed(entry), this.lastCause));
		});
	}

	/** The prompt an attempt sends now: the caller's, or after a cut that continues the continuation's. */
	Prompt prompt() {
		return this.prompt;
	}

	/** An attempt answered: the call is served, marked, remembered and reported. */
	ChatResponse served(ResolvedEntry entry, ChatResponse whole) {
		if (this.continuedFrom != null) {
			// Stitched from two entries' answers: reported, not remembered as a last good one.
			this.call.marks.servedContinued(entry, this.continuedFrom);
			return whole;
		}
		return this.call.marks.served(whole, entry);
	}

	/** A chunk of a stream, marked as the call's answer so far. */
	ChatResponse chunk(ChatResponse chunk, ResolvedEntry entry) {
		ChatResponse marked = this.call.marks.mark(chunk, entry.name());
		return (this.continuedFrom != null) ? StreamContinuation.mark(marked, this.continuedFrom) : marked;
	}

	/**
	 * A stream failed after its first token: it ends, incomplete, or (stream continuation
	 * on, the partial answer fit to continue, another entry admitted, attempts and time
	 * left) the entry after the one cut is asked to continue it. A refusal, content filter or
	 * safety stop is never continued: that would hand the filtered answer to another
	 * provider.
	 * @return what ends the attempt: the call's end, or the fallback that continues it
	 */
	RuntimeException cut(Attempt made, Throwable ex, StreamProgress progress) {
		ResolvedEntry entry = made.entry;
		String next = made.next;
		int chunks = this.deliveredChunks + progress.chunks();
		int characters = this.delivered.length() + progress.characters();
		String instruction = this.call.runtime.continuationInstruction;
		boolean continues = instruction != null && next != null
				&& StreamContinuation.qualifies(progress, this.delivered, AttemptRecording.kindOf(entry, ex))
				&& this.call.mayContinue();
		StreamInterruptedException interrupted = made.cut(ex, chunks, characters, continues ? next : null);
		if (!continues) {
			return interrupted;
		}
		this.cut = interrupted;
		this.delivered = this.delivered + progress.text();
		this.deliveredChunks = chunks;
		this.continuedFrom = entry.name();
		// On the entry after the one cut: the hedge's, when the hedge won the race.
		this.index = Math.max(this.index, this.call.runtime.chain.indexOf(entry) + 1);
		this.prompt = StreamContinuation.prompt(this.call.prompt, this.delivered, instruction);
		return new FailedAttempt(FailureAction.FALL_BACK, Duration.ZERO, ex);
	}

}

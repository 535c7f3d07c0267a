package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.LocalOverloadException;
import io.github.aifallback.chat.internal.ChainTimeout;
import io.github.aifallback.chat.lastgood.ContextualKeyResolver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.ContextView;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * One streaming call through the chain. Until the first token reaches the subscriber it
 * retries and falls back exactly as a blocking call does; from then on it is committed to
 * its entry, and a failure ends it with one {@link StreamInterruptedException}, unless
 * stream continuation is on: then the next entry continues the answer (at most once per cut,
 * within the call's deadline and max-total-attempts).
 */
final class StreamCall {

	private final CallContext call;

	private Throwable lastCause;

	/** What entries are sent: the caller's prompt, or after a cut the continuation's. */
	private Prompt prompt;

	/** After a cut that continues: the text the subscriber already has, else empty. */
	private String delivered = "";

	private int deliveredChunks;

	/** The entry whose cut stream is being continued, or {@code null}. */
	private String continuedFrom;

	/** The cut being continued: it ends the stream if no continuation completes. */
	private StreamInterruptedException cut;

	/**
	 * Where the chain goes on after a cut that continues: the entry after the one cut (the
	 * hedge's, when the hedge won the race and was cut), not after the race's primary.
	 */
	private int resumeAt;

	/**
	 * @param key the request's last-good key, resolved when {@code stream()} was called or
	 * at subscription for a {@link ContextualKeyResolver}
	 * @param subscriber the subscriber's Reactor context, whose observation (if any) is the
	 * parent of this call's
	 */
	StreamCall(ChainRuntime runtime, Prompt prompt, String key, ContextView subscriber) {
		this.call = new CallContext(runtime, prompt, key, true,
				subscriber.getOrDefault(ObservationThreadLocalAccessor.KEY, null));
		this.prompt = prompt;
	}

	Flux<ChatResponse> run() {
		CallObservation observation = this.call.observation;
		Flux<ChatResponse> chain = fromEntry(0);
		if (observation == CallObservation.NONE) {
			return chain;
		}
		// Before the subscriber sees the end, not after as doFinally would: the call is
		// observed whole by the time the caller goes on.
		return chain.doOnTerminate(observation::stop).doOnCancel(observation::stop);
	}

	private Flux<ChatResponse> fromEntry(int index) {
		return Flux.defer(() -> {
			List<ResolvedEntry> entries = this.call.runtime.chain;
			String exhausted = this.call.exhausted();
			if (index >= entries.size() || exhausted != null) {
				return chainExhausted((exhausted != null) ? exhausted : this.call.initialReason());
			}
			ResolvedEntry entry = entries.get(index);
			if (this.call.skips(entry)) {
				return fromEntry(index + 1);
			}
			long permit = this.call.admits(entry);
			if (permit == CircuitBreaker.DENIED) {
				return fromEntry(index + 1);
			}
			int maxAttempts = entry.maxAttempts();
			String next = this.call.nextAfter(index);
			return withRetries(entry, permit, 1, maxAttempts, next).onErrorResume(FailedAttempt.class, (failed) -> {
				this.lastCause = (failed.getCause() != null) ? failed.getCause() : this.lastCause;
				if (failed.action() != FailureAction.STOP) {
					return fromEntry(Math.max(index + 1, this.resumeAt));
				}
				return Flux.error((this.cut != null) ? this.call.marks.endCut(this.cut)
						: this.call.marks.allFailed("stopped by policy", this.lastCause));
			});
		});
	}

	private Flux<ChatResponse> withRetries(ResolvedEntry entry, long permit, int attempt,
			int maxAttempts, String next) {
		Flux<ChatResponse> attempted = (entry.hedge() == null) ? attempt(entry, permit, attempt, maxAttempts, next, null)
				: new StreamHedge(this.call, entry).race(
						(serial) -> attempt(entry, permit, attempt, maxAttempts, next, serial),
						(hedge, hedgePermit, serial) -> attempt(hedge, hedgePermit, 1, hedge.maxAttempts(),
								this.call.nextAfter(this.call.runtime.chain.indexOf(hedge)), serial));
		return attempted.onErrorResume(FailedAttempt.class, (failed) -> {
			if (!failed.retry()) {
				return Flux.error(failed);
			}
			Flux<ChatResponse> retry = withRetries(entry, permit, attempt + 1, maxAttempts, next);
			Duration wait = failed.waitBeforeRetry();
			return wait.isZero() ? retry : Mono.delay(wait).thenMany(retry);
		});
	}

	/**
	 * @param serial in a hedged race, where the attempt records (the call's context is not
	 * thread-safe), or {@code null}
	 */
	private Flux<ChatResponse> attempt(ResolvedEntry entry, long admitted, int attempt,
			int maxAttempts, String next, Scheduler serial) {
		return Flux.defer(() -> {
			FailedAttempt cannotRetry = this.call.cannotRetry(entry, attempt);
			if (cannotRetry != null) {
				return Flux.error(cannotRetry);
			}
			Attempt made = new Attempt(this.call, entry, this.call.permitFor(entry, admitted, attempt), attempt,
					maxAttempts, next);
			// Time queued here is ours: a stream never waits for a place, it moves on.
			ConcurrencyLimit limit = entry.concurrencyLimit();
			if (limit != null && !limit.tryEnter()) {
				return Flux.error(made.overloaded("concurrency limit of " + limit.limit() + " reached"));
			}
			// Never more than the entry's share of the deadline: the entries after it keep a floor.
			Duration firstToken = made.firstTokenTimeout();
			Duration idle = entry.idleTimeout();
			StreamProgress progress = new StreamProgress();
			CallObservation observation = this.call.observation;
			Observation observed = observation.attemptStarted(entry, attempt, maxAttempts);
			// A timeout of ours is the failure of whatever the entry model sent the stream to
			// (a deployment): it is told so when the attempt ends (see ChainTimeout).
			ChainTimeout timeout = new ChainTimeout();
			Flux<ChatResponse> timed = entryStream(entry, observed)
				.contextWrite((context) -> context.put(ChainTimeout.KEY, timeout))
				.timeout(delay(firstToken), (chunk) -> (progress.committed() || StreamProgress.hasContent(chunk))
						? delay(idle) : delay(firstToken.minus(made.took())));
			return ((serial != null) ? timed.publishOn(serial) : timed)
				.handle((ChatResponse chunk, reactor.core.publisher.SynchronousSink<ChatResponse> sink) -> {
					// A refusal before the first token falls back; after it, it ends the stream.
					Refusals.check(chunk);
					if (progress.accept(chunk)) {
						ChatResponse marked = this.call.marks.mark(chunk, entry.name());
						sink.next((this.continuedFrom != null) ? StreamContinuation.mark(marked, this.continuedFrom)
								: marked);
					}
				})
				.concatWith(Mono.defer(() -> Mono.justOrEmpty(progress.incomplete(entry.entryModel().reportsFinishReason()))
					.flatMap(Mono::error)))
				.onErrorMap((ex) -> !(ex instanceof FailedAttempt) && !Fatal.isFatal(ex), (ex) -> {
					timeout.settle(ex instanceof TimeoutException);
					raced(serial, observed);
					if (ex instanceof LocalOverloadException && !progress.committed()) {
						observation.attemptAbandoned();
						return made.overloaded(String.valueOf(ex.getMessage()));
					}
					return progress.committed() ? cut(made, ex, progress) : made.failed(ex, made.took());
				})
				.doOnComplete(() -> {
					raced(serial, observed);
					made.succeeded(made.took());
					if (this.continuedFrom != null) {
						this.call.marks.servedContinued(entry, this.continuedFrom);
					}
					else {
						this.call.marks.served(progress.aggregate(), entry);
					}
				})
				.doOnError(Fatal::isFatal, (ex) -> {
					made.abandon();
					raced(serial, observed);
					observation.attemptAbandoned();
				})
				.doOnCancel(() -> {
					made.abandon();
					raced(serial, observed);
					observation.attemptAbandoned();
				})
				.doFinally((signal) -> {
					timeout.settle(false);
					if (limit != null) {
						limit.exit();
					}
				});
		});
	}

	/**
	 * In a hedged race both attempts are observed at once: the one about to record is made
	 * the current one first, so that each stops its own observation (the loser's cancelled).
	 */
	private void raced(Scheduler serial, Observation observed) {
		if (serial != null) {
			this.call.observation.select(observed);
		}
	}

	/**
	 * The stream failed after its first token: it ends, incomplete, or (stream continuation
	 * on, the partial answer fit to continue, another entry admitted, attempts and time
	 * left) the next entry is asked to continue it.
	 */
	private RuntimeException cut(Attempt made, Throwable ex, StreamProgress progress) {
		ResolvedEntry entry = made.entry;
		String next = made.next;
		int chunks = this.deliveredChunks + progress.chunks();
		int characters = this.delivered.length() + progress.characters();
		String instruction = this.call.runtime.continuationInstruction;
		// A refusal or content-filter stop is never continued: that would hand the filtered
		// answer to another provider.
		boolean continues = instruction != null && next != null
				&& StreamContinuation.qualifies(progress, this.delivered, this.call.kindOf(entry, ex))
				&& this.call.mayContinue();
		StreamInterruptedException interrupted = made.cut(ex, chunks, characters, continues ? next : null);
		if (!continues) {
			return interrupted;
		}
		this.cut = interrupted;
		this.delivered = this.delivered + progress.text();
		this.deliveredChunks = chunks;
		this.continuedFrom = entry.name();
		this.resumeAt = this.call.runtime.chain.indexOf(entry) + 1;
		this.prompt = StreamContinuation.prompt(this.call.prompt, this.delivered, instruction);
		return new FailedAttempt(FailureAction.FALL_BACK, Duration.ZERO, ex);
	}

	/**
	 * The entry's stream with the attempt's observation in its Reactor context, where
	 * Spring AI's streaming models look for their parent, and current while the stream is
	 * assembled.
	 */
	private Flux<ChatResponse> entryStream(ResolvedEntry entry, Observation observed) {
		// A model that throws instead of signalling fails this attempt like any other failure:
		// its permit, the concurrency limit and the fallback are all handled downstream.
		try {
			if (observed == null) {
				return entry.entryModel().stream(this.prompt, this.call.timeLeft());
			}
			try (Observation.Scope scope = observed.openScope()) {
				return entry.entryModel()
					.stream(this.prompt, this.call.timeLeft())
					.contextWrite((context) -> context.put(ObservationThreadLocalAccessor.KEY, observed));
			}
		}
		catch (RuntimeException ex) {
			return Flux.error(ex);
		}
	}

	/** A timer bounded by the call's deadline too. */
	private Mono<Long> delay(Duration timeout) {
		Duration left = this.call.timeLeft();
		Duration bounded = (timeout.compareTo(left) <= 0) ? timeout : left;
		return Mono.delay(bounded.isNegative() ? Duration.ZERO : bounded);
	}

	private Flux<ChatResponse> chainExhausted(String reason) {
		if (this.cut != null) {
			// The subscriber has part of an answer: never a degraded one after it.
			return Flux.error(this.call.marks.endCut(this.cut));
		}
		return this.call.marks.degradedAsync(reason).flux().switchIfEmpty(Flux.defer(() -> panic(reason)));
	}

	/** No answer and no last good one: panic mode's one attempt, if the chain panics (see {@link CallContext#panic()}). */
	private Flux<ChatResponse> panic(String reason) {
		CallContext.PanicAttempt panic = this.call.panic();
		if (panic == null) {
			return Flux.error(this.call.marks.allFailed(reason, this.lastCause));
		}
		ResolvedEntry entry = panic.entry();
		return attempt(entry, panic.permit(), 1, 1, null, null).onErrorResume(FailedAttempt.class, (failed) -> {
			this.lastCause = (failed.getCause() != null) ? failed.getCause() : this.lastCause;
			return Flux.error(this.call.marks.allFailed(this.call.lastResortFailed(entry), this.lastCause));
		});
	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.concurrent.TimeoutException;

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
 * The reactive transport of a call: carries out {@link CallPlan}'s steps without blocking a
 * Reactor thread, each attempt its entry's stream. Until the first token reaches the
 * subscriber it retries and falls back exactly as a blocking call does; from then on it is
 * committed to its entry, and a failure is a cut ({@link CallPlan#cut}): it ends the stream
 * with one {@link StreamInterruptedException}, unless the plan continues it on the next
 * entry. A hedged entry is raced by {@link StreamHedge}.
 */
final class StreamCall implements CallPlan.Transport<Flux<ChatResponse>> {

	private final CallContext call;

	private final CallPlan plan;

	/**
	 * @param key the request's last-good key, resolved when {@code stream()} was called or
	 * at subscription for a {@link ContextualKeyResolver}
	 * @param subscriber the subscriber's Reactor context, whose observation (if any) is the
	 * parent of this call's
	 */
	StreamCall(ChainRuntime runtime, Prompt prompt, String key, ContextView subscriber) {
		this.call = new CallContext(runtime, prompt, key, true,
				subscriber.getOrDefault(ObservationThreadLocalAccessor.KEY, null));
		this.plan = new CallPlan(this.call);
	}

	Flux<ChatResponse> run() {
		CallObservation observation = this.call.observation;
		Flux<ChatResponse> chain = this.plan.run(this);
		if (observation == CallObservation.NONE) {
			return chain;
		}
		// Before the subscriber sees the end, not after as doFinally would: the call is
		// observed whole by the time the caller goes on.
		return chain.doOnTerminate(observation::stop).doOnCancel(observation::stop);
	}

	@Override
	public Flux<ChatResponse> send(Attempt made) {
		return attempt(made, null);
	}

	@Override
	public Flux<ChatResponse> race(HedgeRace race) {
		return new StreamHedge(race).run(this::attempt);
	}

	@Override
	public Flux<ChatResponse> retrying(ResolvedEntry entry, IntFunction<Flux<ChatResponse>> attempt) {
		return retrying(attempt, 1);
	}

	private Flux<ChatResponse> retrying(IntFunction<Flux<ChatResponse>> attempt, int n) {
		return attempt.apply(n).onErrorResume(FailedAttempt.class, (failed) -> {
			if (!failed.retry()) {
				return Flux.error(failed);
			}
			Flux<ChatResponse> retry = retrying(attempt, n + 1);
			Duration wait = failed.waitBeforeRetry();
			return wait.isZero() ? retry : Mono.delay(wait).thenMany(retry);
		});
	}

	@Override
	public Flux<ChatResponse> recover(Supplier<Flux<ChatResponse>> step,
			Function<FailedAttempt, Flux<ChatResponse>> then) {
		return Flux.defer(step).onErrorResume(FailedAttempt.class, then);
	}

	@Override
	public Flux<ChatResponse> defer(Supplier<Flux<ChatResponse>> step) {
		return Flux.defer(step);
	}

	@Override
	public Flux<ChatResponse> fail(RuntimeException ex) {
		return Flux.error(ex);
	}

	@Override
	public Flux<ChatResponse> degradedOr(String reason, Supplier<Flux<ChatResponse>> otherwise) {
		// The cache is read without blocking the Reactor thread the chain ran out on.
		return this.call.marks.degradedAsync(reason).flux().switchIfEmpty(Flux.defer(otherwise));
	}

	/**
	 * @param serial in a hedged race, where the attempt records (the call's context is not
	 * thread-safe), or {@code null}
	 */
	private Flux<ChatResponse> attempt(Attempt made, Scheduler serial) {
		return Flux.defer(() -> {
			ResolvedEntry entry = made.entry;
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
			Observation observed = observation.attemptStarted(entry, made.number, made.maxAttempts);
			made.start();
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
						sink.next(this.plan.chunk(chunk, entry));
					}
				})
				.concatWith(Mono.defer(() -> Mono.justOrEmpty(progress.incomplete(entry.entryModel().reportsFinishReason()))
					.flatMap(Mono::error)))
				.onErrorMap((ex) -> !(ex instanceof FailedAttempt) && !Fatal.isFatal(ex), (ex) -> {
					timeout.settle(ex instanceof TimeoutException);
					raced(serial, observed);
					return progress.committed() ? this.plan.cut(made, ex, progress) : made.ended(ex);
				})
				.doOnComplete(() -> {
					raced(serial, observed);
					made.succeeded(made.took());
					this.plan.served(entry, progress.aggregate());
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
	 * The entry's stream with the attempt's observation in its Reactor context, where
	 * Spring AI's streaming models look for their parent, and current while the stream is
	 * assembled.
	 */
	private Flux<ChatResponse> entryStream(ResolvedEntry entry, Observation observed) {
		// A model that throws instead of signalling fails this attempt like any other failure:
		// its permit, the concurrency limit and the fallback are all handled downstream.
		Prompt prompt = this.plan.prompt();
		try {
			if (observed == null) {
				return entry.entryModel().stream(prompt, this.call.timeLeft());
			}
			try (Observation.Scope scope = observed.openScope()) {
				return entry.entryModel()
					.stream(prompt, this.call.timeLeft())
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

}

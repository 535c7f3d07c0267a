package io.github.aifallback.chat;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.event.HedgeEvent;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.StreamEndedEarlyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.ai.chat.model.ChatResponse;

/**
 * One streaming attempt of a hedged entry: when its first token has not come after the
 * entry's hedge delay, the next admitted entry streams in parallel (if the hedge budget
 * allows) and the first stream to send a token wins; the other is cancelled, which gives
 * its circuit permit back without a failure. A failure before the hedge starts ends the race
 * at once, as for an entry that is not hedged; after it, the other stream is waited for.
 * <p>
 * Both attempts record on the call's context, which is not thread-safe: everything after
 * their timeouts runs on one serial worker of this race. Each has its own attempt
 * observation, which it selects before recording (see {@link CallObservation#select}): the
 * winner's ends {@code success}, the cancelled loser's {@code cancelled}.
 */
final class StreamHedge {

	private static final Logger logger = LoggerFactory.getLogger(ResilientChatClient.class);

	/** Makes one streaming attempt of an entry, its recording on the given serial scheduler. */
	@FunctionalInterface
	interface Attempt {

		Flux<ChatResponse> stream(ResolvedEntry entry, long permit, Scheduler serial);

	}

	private final CallContext call;

	private final ResolvedEntry entry;

	private final Sinks.Empty<Void> primaryFailed = Sinks.empty();

	private volatile ResolvedEntry hedge;

	private volatile Throwable primaryError;

	private volatile Throwable hedgeError;

	private volatile boolean primaryFirst;

	private volatile boolean hedgeFirst;

	StreamHedge(CallContext call, ResolvedEntry entry) {
		this.call = call;
		this.entry = entry;
	}

	/**
	 * The race.
	 * @param primary the entry's own attempt (with its permit)
	 * @param contender makes the hedge's attempt
	 */
	Flux<ChatResponse> race(Function<Scheduler, Flux<ChatResponse>> primary, Attempt contender) {
		return Flux.defer(() -> {
			Scheduler serial = Schedulers.single(Schedulers.parallel());
			this.call.runtime.hedging.budget.request();
			Flux<ChatResponse> first = primary.apply(serial)
				.doOnNext((chunk) -> this.primaryFirst = true)
				.onErrorResume(FailedAttempt.class, (failed) -> {
					if (this.primaryFirst) {
						// The primary won and was cut after its first token: the race is over, and
						// the cut (continued, or not) is the call's to act on, never an empty end.
						return Flux.error(failed);
					}
					this.primaryError = failed;
					if (this.hedge == null) {
						// Before the hedge: end the race now, as an entry that is not hedged would.
						this.primaryFailed.tryEmitEmpty();
					}
					return Flux.empty();
				});
			Flux<ChatResponse> second = Mono.delay(this.entry.hedge().delay(), serial)
				.takeUntilOther(this.primaryFailed.asMono())
				.flatMapMany((tick) -> startHedge(contender, serial));
			return Flux.firstWithValue(first, second)
				.onErrorResume(NoSuchElementException.class, (none) -> Flux.error(failure()))
				.map(this::marked)
				.doOnTerminate(this::published)
				.doFinally((signal) -> serial.dispose());
		});
	}

	private Flux<ChatResponse> startHedge(Attempt contender, Scheduler serial) {
		ResolvedEntry candidate = this.call.nextAfter(this.entry);
		if (candidate == null || this.call.exhausted() != null || !this.call.runtime.hedging.budget.tryHedge()) {
			logger.debug("AI fallback: no first token from '{}' yet, but no hedge starts", this.entry.name());
			return Flux.empty();
		}
		long permit = candidate.breaker().acquire();
		if (permit == CircuitBreaker.DENIED) {
			this.call.runtime.hedging.budget.refund();
			return Flux.empty();
		}
		this.hedge = candidate;
		logger.debug("AI fallback: no first token from '{}' yet; hedging with '{}'", this.entry.name(),
				candidate.name());
		return contender.stream(candidate, permit, serial)
			.doOnNext((chunk) -> this.hedgeFirst = true)
			.onErrorResume(FailedAttempt.class, (failed) -> {
				if (this.hedgeFirst) {
					// The hedge won and was cut: as for the primary, the call acts on the cut.
					return Flux.error(failed);
				}
				this.hedgeError = failed;
				return Flux.empty();
			});
	}

	/**
	 * Neither stream sent a token: the primary's failure decides what follows. When it is a
	 * retry, the wait before it is observed now: decided while the hedge still ran, it was
	 * not then.
	 */
	private Throwable failure() {
		if (this.primaryError != null) {
			if (this.hedge != null && this.primaryError instanceof FailedAttempt failed
					&& failed.action() == FailureAction.RETRY) {
				this.call.observation.waiting(this.entry, failed.waitBeforeRetry());
			}
			return this.primaryError;
		}
		return (this.hedgeError != null) ? this.hedgeError
				: new StreamEndedEarlyException("Neither stream of the hedged attempt sent a token");
	}

	private ChatResponse marked(ChatResponse chunk) {
		ResolvedEntry hedge = this.hedge;
		if (hedge == null) {
			return chunk;
		}
		return ChatResponse.builder()
			.from(chunk)
			.metadata(FallbackMetadata.HEDGED, Boolean.TRUE)
			.metadata(FallbackMetadata.HEDGED_ENTRIES, List.of(this.entry.name(), hedge.name()))
			.build();
	}

	private void published() {
		ResolvedEntry hedge = this.hedge;
		if (hedge == null || !(this.primaryFirst || this.hedgeFirst)) {
			return;
		}
		boolean primaryWon = this.primaryFirst;
		java.time.Instant now = this.call.runtime.clock.instant();
		this.call.runtime.publish(new HedgeEvent(this.entry.name(), false, primaryWon, now));
		this.call.runtime.publish(new HedgeEvent(hedge.name(), true, !primaryWon, now));
	}

}

package io.github.aifallback.chat;

import java.util.NoSuchElementException;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.ai.chat.model.ChatResponse;
import io.github.aifallback.chat.failure.StreamEndedEarlyException;

/**
 * The reactive transport of a hedged attempt (what the race decides is {@link HedgeRace}'s):
 * when its first token has not come after the entry's hedge delay, the hedge streams in
 * parallel and the first stream to send a token wins; the other is cancelled, which gives
 * its circuit permit back without a failure. A failure before the hedge starts ends the race
 * at once, as for an entry that is not hedged; after it, the other stream is waited for.
 * <p>
 * Both attempts record on the call's context, which is not thread-safe: everything after
 * their timeouts runs on one serial worker of this race. Each has its own attempt
 * observation, which it selects before recording (see {@link CallObservation#select}): the
 * winner's ends {@code success}, the cancelled loser's {@code cancelled}.
 */
final class StreamHedge {

	/** Streams one attempt of the race, its recording on the given serial scheduler. */
	@FunctionalInterface
	interface Side {

		Flux<ChatResponse> stream(Attempt attempt, Scheduler serial);

	}

	private final HedgeRace race;

	private final Sinks.Empty<Void> primaryFailed = Sinks.empty();

	private volatile Throwable primaryError;

	private volatile Throwable hedgeError;

	private volatile boolean primaryFirst;

	private volatile boolean hedgeFirst;

	StreamHedge(HedgeRace race) {
		this.race = race;
	}

	/** The race, each side streamed by {@code side}. */
	Flux<ChatResponse> run(Side side) {
		return Flux.defer(() -> {
			Scheduler serial = Schedulers.single(Schedulers.parallel());
			this.race.begin();
			Flux<ChatResponse> first = raced(side.stream(this.race.primary, serial), true);
			Flux<ChatResponse> second = Mono.delay(this.race.entry.hedge().delay(), serial)
				.takeUntilOther(this.primaryFailed.asMono())
				.flatMapMany((tick) -> hedge(side, serial));
			return Flux.firstWithValue(first, second)
				.onErrorResume(NoSuchElementException.class, (none) -> Flux.error(failure()))
				.map(this.race::marked)
				.doOnTerminate(() -> {
					if (this.primaryFirst || this.hedgeFirst) {
						this.race.won(this.primaryFirst);
					}
				})
				.doFinally((signal) -> serial.dispose());
		});
	}

	private Flux<ChatResponse> hedge(Side side, Scheduler serial) {
		Attempt hedge = this.race.startHedge();
		if (hedge == null) {
			return Flux.empty();
		}
		return raced(side.stream(hedge, serial), false);
	}

	/**
	 * One side of the race. Once it sent a token it has won, and a cut after it is the
	 * call's to act on (continued, or not), never an empty end. A failure before it is
	 * kept for {@link #failure()}; the primary's, before the hedge starts, ends the race at
	 * once, as for an entry that is not hedged.
	 */
	private Flux<ChatResponse> raced(Flux<ChatResponse> stream, boolean primary) {
		return stream.doOnNext((chunk) -> {
			if (primary) {
				this.primaryFirst = true;
			}
			else {
				this.hedgeFirst = true;
			}
		}).onErrorResume(FailedAttempt.class, (failed) -> {
			if (primary ? this.primaryFirst : this.hedgeFirst) {
				return Flux.error(failed);
			}
			if (!primary) {
				this.hedgeError = failed;
				this.race.hedgeFailed();
				return Flux.empty();
			}
			this.primaryError = failed;
			this.race.primaryFailed();
			if (this.race.hedge() == null) {
				this.primaryFailed.tryEmitEmpty();
			}
			return Flux.empty();
		});
	}

	/** Neither stream sent a token: the primary's failure decides what follows (see {@link HedgeRace#neitherWon}). */
	private Throwable failure() {
		if (this.primaryError instanceof RuntimeException primary) {
			return this.race.neitherWon(primary);
		}
		return (this.hedgeError != null) ? this.hedgeError
				: new StreamEndedEarlyException("Neither stream of the hedged attempt sent a token");
	}

}

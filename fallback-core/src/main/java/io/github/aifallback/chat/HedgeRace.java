package io.github.aifallback.chat;

import java.time.Instant;
import java.util.List;

import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.event.HedgeEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.model.ChatResponse;

/**
 * The decisions of one hedged attempt, whichever transport races it: when the primary is
 * slow, which entry starts as the hedge (the next one the call could use, if the hedge
 * budget and the deadline allow), its permit and hedge token (given back when it cannot
 * start after all), who won, what each side's {@link HedgeEvent} says, how the answer is
 * marked, and which failure decides what follows when neither side answered: the
 * primary's. The blocking race ({@link HedgedAttempt}) and the streaming one
 * ({@link StreamHedge}) only carry this out.
 */
final class HedgeRace {

	private static final Logger logger = LoggerFactory.getLogger(ResilientChatClient.class);

	final CallContext call;

	/** The primary's attempt: the hedged entry's own. */
	final Attempt primary;

	final ResolvedEntry entry;

	/** The hedge's attempt, once one started; else {@code null}. */
	private volatile Attempt hedge;

	private volatile boolean primaryFailed;

	private volatile boolean hedgeFailed;

	HedgeRace(CallContext call, Attempt primary) {
		this.call = call;
		this.primary = primary;
		this.entry = primary.entry;
	}

	/** The race begins: counted for the hedge budget's ratio. */
	void begin() {
		this.call.runtime.hedging.budget.request();
	}

	/** The hedge, once it started; else {@code null}. */
	Attempt hedge() {
		return this.hedge;
	}

	/**
	 * The primary is still slow after the entry's hedge delay: the hedge to start now, with
	 * its permit and a hedge token taken; or {@code null} when none may start.
	 */
	Attempt startHedge() {
		ResolvedEntry candidate = this.call.routing.nextAfter(this.entry);
		if (candidate == null || this.call.exhausted() != null || !this.call.runtime.hedging.budget.tryHedge()) {
			logger.debug("AI fallback: '{}' is slow, but no hedge starts ({})", this.entry.name(),
					(candidate == null) ? "no other entry is available" : "the hedge budget or deadline is spent");
			return null;
		}
		long permit = candidate.breaker().acquire();
		if (permit == CircuitBreaker.DENIED) {
			this.call.runtime.hedging.budget.refund();
			return null;
		}
		// An entry the call tried: its retry budget counts the request, and no last resort
		// takes the call there again.
		this.call.recording.cannotRetry(candidate, 1);
		// Its next is where a cut of the hedge continues, when the hedge won the race.
		Attempt started = new Attempt(this.call, candidate, permit, 1, candidate.maxAttempts(),
				this.call.routing.nextAfter(this.call.runtime.chain.indexOf(candidate)), true);
		this.hedge = started;
		logger.debug("AI fallback: '{}' has not answered after {} ms; hedging with '{}'", this.entry.name(),
				this.entry.hedge().delay().toMillis(), candidate.name());
		return started;
	}

	/** The hedge could not start after all (no thread to run it): it spends nothing. */
	void notStarted() {
		Attempt started = this.hedge;
		this.hedge = null;
		this.call.runtime.hedging.budget.refund();
		started.abandon();
	}

	/** The primary failed before either side won: its failure event says so, not a race outcome. */
	void primaryFailed() {
		this.primaryFailed = true;
	}

	/** The hedge failed before either side won: its failure event says so, not a race outcome. */
	void hedgeFailed() {
		this.hedgeFailed = true;
	}

	/**
	 * A side sent the answer (or a stream its first token): the race is over. Each side that
	 * was still running says whether it won; one that had failed says nothing (its failure
	 * event did), and a primary that answered after its hedge failed won no race.
	 */
	void won(boolean primaryWon) {
		Attempt started = this.hedge;
		if (started == null || primaryWon && this.hedgeFailed) {
			return;
		}
		Instant now = this.call.runtime.clock.instant();
		if (primaryWon) {
			this.call.runtime.publish(new HedgeEvent(started.entry.name(), true, false, now));
			this.call.runtime.publish(new HedgeEvent(this.entry.name(), false, true, now));
			return;
		}
		if (!this.primaryFailed) {
			this.call.runtime.publish(new HedgeEvent(this.entry.name(), false, false, now));
		}
		this.call.runtime.publish(new HedgeEvent(started.entry.name(), true, true, now));
	}

	/**
	 * Neither side answered: the primary's failure decides what follows. When it is a retry,
	 * the wait before it is observed now: decided while the hedge still ran, it was not then.
	 */
	RuntimeException neitherWon(RuntimeException primaryFailed) {
		if (this.hedge != null && primaryFailed instanceof FailedAttempt failed && failed.retry()) {
			this.call.observation.waiting(this.entry, failed.waitBeforeRetry());
		}
		return primaryFailed;
	}

	/** The race's answer (or chunk), marked as hedged with its two entries when a hedge started. */
	ChatResponse marked(ChatResponse response) {
		Attempt started = this.hedge;
		if (started == null) {
			return response;
		}
		return ChatResponse.builder()
			.from(response)
			.metadata(FallbackMetadata.HEDGED, Boolean.TRUE)
			.metadata(FallbackMetadata.HEDGED_ENTRIES, List.of(this.entry.name(), started.entry.name()))
			.build();
	}

}

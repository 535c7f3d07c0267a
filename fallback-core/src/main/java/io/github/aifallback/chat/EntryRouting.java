package io.github.aifallback.chat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.event.CallNotPermittedEvent;
import io.github.aifallback.chat.failure.FailureKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.prompt.Prompt;

/**
 * Which entries one call may use: the ones it skips (capabilities, a provider's window, a
 * full entry), the circuits' admission, the last resort's second look and panic mode, and
 * the entry a fallback or a hedge would reach. One of the jobs of a call (see
 * {@link CallContext}); it records no failure (that is {@link AttemptRecording}'s job).
 */
final class EntryRouting {

	private static final Logger logger = LoggerFactory.getLogger(ResilientChatClient.class);

	private final ChainRuntime runtime;

	private final CallMarks marks;

	/** Which entries this call skips and why; {@code null} when no entry declares capabilities. */
	private final EntrySkips skips;

	private boolean anyAdmitted;

	/** The entries this call made an attempt on, by name; most calls try one or two. */
	private final List<String> tried = new ArrayList<>(2);

	/**
	 * Entries skipped for the moment (no request left until their provider's window resets,
	 * or full: a concurrency limit, all their threads busy), "name: reason" each;
	 * {@code null} until one is.
	 */
	private List<String> rateLimited;

	EntryRouting(ChainRuntime runtime, Prompt prompt, CallMarks marks) {
		this.runtime = runtime;
		this.marks = marks;
		this.skips = (runtime.capabilities != null) ? new EntrySkips(runtime.capabilities, prompt) : null;
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
		skipped(entry, "rate limit: none left until " + until);
		logger.debug("AI fallback: skipping '{}': rate limit, none left until {}", entry.name(), until);
		return true;
	}

	/**
	 * The entry was full (its concurrency limit, or its model's own threads): skipped for
	 * the moment, and said so.
	 */
	void full(ResolvedEntry entry, String why) {
		skipped(entry, why);
		logger.debug("AI fallback: skipping '{}': {}", entry.name(), why);
		this.runtime.publish(new CallNotPermittedEvent(entry.name(), entry.breaker().state(),
				this.runtime.clock.instant()));
	}

	private void skipped(ResolvedEntry entry, String why) {
		if (this.rateLimited == null) {
			this.rateLimited = new ArrayList<>(2);
		}
		this.rateLimited.add(entry.name() + ": " + why);
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
	List<String> skipped() {
		List<String> capabilities = (this.skips != null) ? this.skips.skipped() : List.of();
		if (this.rateLimited == null) {
			return capabilities;
		}
		List<String> all = new ArrayList<>(capabilities);
		all.addAll(this.rateLimited);
		return all;
	}

	/** An attempt on the entry failed: a capability it declared may be taken back. */
	void failed(ResolvedEntry entry, FailureKind kind) {
		if (this.skips != null) {
			this.skips.failed(entry.name(), kind);
		}
	}

	/** The call makes its first attempt on the entry. */
	void tried(ResolvedEntry entry) {
		this.tried.add(entry.name());
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
	 * @param exhausted whether the call's budget or deadline is spent
	 * @return the entry and its permit, or {@code null} when the call has nowhere to go
	 */
	PanicAttempt panic(boolean exhausted) {
		ChainPanic panic = this.runtime.panic;
		if (exhausted) {
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

	/** Why the call ends when its last resort (see {@link #panic}) failed too. */
	String lastResortFailed(ResolvedEntry entry) {
		return this.marks.panicked ? "panic mode: the attempt on '" + entry.name() + "' failed too"
				: "'" + entry.name() + "', which took the call on a second look, failed too";
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

}

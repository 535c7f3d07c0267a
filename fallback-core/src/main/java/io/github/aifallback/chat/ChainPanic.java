package io.github.aifallback.chat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import io.github.aifallback.chat.circuit.CircuitSnapshot;
import io.github.aifallback.chat.circuit.Evidence;
import io.github.aifallback.chat.event.PanicModeEvent;

/**
 * Panic mode, after Envoy's panic threshold: when the share of the chain's entries still in
 * rotation (of those a provider or an operator did not take out explicitly) falls below the
 * threshold because the others are out on inferred evidence, a call that every entry refused
 * is sent anyway to the one most likely to answer.
 * Inferred evidence (timeouts, connection and server errors) is also what a burst of our
 * own overload produces; refusing service for a whole open period on it alone turned a
 * 5-second burst into a 90-second outage of providers that were healthy throughout.
 */
final class ChainPanic {

	private final boolean enabled;

	private final float threshold;

	private final Clock clock;

	private volatile boolean inPanic;

	/**
	 * @param enabled whether the chain may panic (a slow start gives way either way)
	 * @param threshold the share of entries, in percent, in rotation below which the chain
	 * panics
	 */
	ChainPanic(boolean enabled, float threshold, Clock clock) {
		this.enabled = enabled;
		this.threshold = threshold;
		this.clock = clock;
	}

	/**
	 * Whether the chain is in panic now: of its entries that only inferred evidence can take
	 * out, the share still in rotation is below the threshold.
	 */
	boolean inPanic(List<ResolvedEntry> chain) {
		if (!this.enabled) {
			return false;
		}
		int eligible = 0;
		int inferred = 0;
		for (ResolvedEntry entry : chain) {
			Evidence out = entry.breaker().keptOutBy();
			if (out == Evidence.EXPLICIT || out == Evidence.OPERATOR) {
				continue;
			}
			eligible++;
			if (out == Evidence.INFERRED) {
				inferred++;
			}
		}
		return inferred > 0 && (eligible - inferred) * 100f / eligible < this.threshold;
	}

	/**
	 * The entries a call refused everywhere may go to in panic, best first: those out on
	 * inferred evidence only, by the fewest consecutive failures, then the lowest failure
	 * rate, then in chain order. Only entries this call can use; none when the chain is not
	 * in panic.
	 */
	List<ResolvedEntry> candidates(List<ResolvedEntry> chain, Predicate<ResolvedEntry> usable) {
		List<ResolvedEntry> candidates = new ArrayList<>(chain.size());
		if (!inPanic(chain)) {
			return candidates;
		}
		List<Ranked> ranked = new ArrayList<>(chain.size());
		for (int i = 0; i < chain.size(); i++) {
			ResolvedEntry entry = chain.get(i);
			if (entry.breaker().keptOutBy() == Evidence.INFERRED && usable.test(entry)) {
				CircuitSnapshot snapshot = entry.breaker().snapshot();
				ranked.add(new Ranked(entry, snapshot.consecutiveFailures(), Math.max(0f, snapshot.failureRate()), i));
			}
		}
		// The latest evidence first: an entry that answered since its last failure, then the
		// lowest failure rate of the window, then the chain's order.
		ranked.sort(Comparator.comparingInt(Ranked::consecutiveFailures)
			.thenComparingDouble(Ranked::failureRate)
			.thenComparingInt(Ranked::order));
		for (Ranked entry : ranked) {
			candidates.add(entry.entry());
		}
		return candidates;
	}

	/** "2 of 3 entries", for the log line. */
	String describe(List<ResolvedEntry> chain) {
		int inferred = 0;
		for (ResolvedEntry entry : chain) {
			if (entry.breaker().keptOutBy() == Evidence.INFERRED) {
				inferred++;
			}
		}
		return inferred + " of " + chain.size() + " entries";
	}

	/** Whether the chain was in panic when a circuit last changed. */
	boolean inPanic() {
		return this.inPanic;
	}

	/**
	 * A circuit changed: the event that says the chain entered or left panic, or
	 * {@code null} when that did not change.
	 */
	PanicModeEvent update(List<ResolvedEntry> chain) {
		boolean now = inPanic(chain);
		synchronized (this) {
			if (now == this.inPanic) {
				return null;
			}
			this.inPanic = now;
		}
		List<String> out = new ArrayList<>();
		for (ResolvedEntry entry : chain) {
			if (entry.breaker().keptOutBy() == Evidence.INFERRED) {
				out.add(entry.name());
			}
		}
		return new PanicModeEvent(now, List.copyOf(out), this.clock.instant());
	}

	private record Ranked(ResolvedEntry entry, int consecutiveFailures, float failureRate, int order) {
	}

}

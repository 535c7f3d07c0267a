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
 * Panic mode, after Envoy's panic threshold: when at least a share of the chain's entries
 * (of those a provider or an operator did not take out explicitly) is out on inferred
 * evidence, a call that every entry refused is sent anyway to the one most likely to answer.
 * Inferred evidence (timeouts, connection and server errors) is also what a burst of our
 * own overload produces; refusing service for a whole open period on it alone turned a
 * 5-second burst into a 90-second outage of providers that were healthy throughout.
 */
final class ChainPanic {

	private final float threshold;

	private final Clock clock;

	private volatile boolean inPanic;

	/**
	 * @param threshold the share of entries, in percent, out on inferred evidence from which
	 * the chain panics
	 */
	ChainPanic(float threshold, Clock clock) {
		this.threshold = threshold;
		this.clock = clock;
	}

	/**
	 * Whether the chain is in panic now: at least the threshold of its entries that only
	 * inferred evidence can take out are out.
	 */
	boolean inPanic(List<ResolvedEntry> chain) {
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
		return inferred > 0 && inferred * 100f / eligible >= this.threshold;
	}

	/**
	 * The entries a call refused everywhere may go to in panic, best first: out on inferred
	 * evidence only, usable by this call, by the lowest failure rate, then in chain order.
	 * Empty when the chain is not in panic.
	 */
	List<ResolvedEntry> candidates(List<ResolvedEntry> chain, Predicate<ResolvedEntry> usable) {
		if (!inPanic(chain)) {
			return List.of();
		}
		List<Ranked> ranked = new ArrayList<>(chain.size());
		for (int i = 0; i < chain.size(); i++) {
			ResolvedEntry entry = chain.get(i);
			if (entry.breaker().keptOutBy() == Evidence.INFERRED && usable.test(entry)) {
				CircuitSnapshot snapshot = entry.breaker().snapshot();
				ranked.add(new Ranked(entry, Math.max(0f, snapshot.failureRate()), i));
			}
		}
		ranked.sort(Comparator.comparingDouble(Ranked::failureRate).thenComparingInt(Ranked::order));
		return ranked.stream().map(Ranked::entry).toList();
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

	private record Ranked(ResolvedEntry entry, float failureRate, int order) {
	}

}

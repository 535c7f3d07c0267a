package io.github.aifallback.chat;

import java.time.Clock;
import java.time.Duration;

/**
 * How many hedges the client may still start: at most {@code ratio} of the requests of its
 * hedged entries over a sliding 10-second window, and at least {@code minPerSecond} a
 * second, as Envoy and gRPC cap retries. So when a provider slows down for everyone, hedging
 * adds a tenth of the load, not double. The same accounting as a retry budget (requests
 * counted lock-free, a hedge taken under a lock so that two slow calls cannot both take the
 * last one), so it is one: a hedge is counted as the budget's "retry".
 */
final class HedgeBudget {

	private static final Duration WINDOW = Duration.ofSeconds(10);

	private final LocalRetryBudget budget;

	HedgeBudget(double ratio, int minPerSecond, Clock clock) {
		this.budget = new LocalRetryBudget(RetryBudgetSettings.custom()
			.ratio(ratio)
			.window(WINDOW)
			.minRetriesPerSecond(minPerSecond)
			.build(), clock);
	}

	/** A request to a hedged entry starts. */
	void request() {
		this.budget.recordRequest();
	}

	/** A hedge taken was not started after all (no thread to run it): it goes back. */
	void refund() {
		this.budget.refundRetry();
	}

	/** Take one hedge from the budget; {@code false} when it is spent. */
	boolean tryHedge() {
		return this.budget.tryAcquireRetry();
	}

}

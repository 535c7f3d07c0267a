package io.github.aifallback.chat.fleet;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import io.github.aifallback.chat.RetryBudget;
import io.github.aifallback.chat.RetryBudgetSettings;

/**
 * Creates the fleet-wide {@link RetryBudget} of each entry and, on the fleet's own thread,
 * exchanges every budget's counts with the fleet's. Callers only touch memory: what they
 * count is added to Redis by {@link #exchange(Exchange)}, at most one refresh interval later.
 */
final class FleetRetryBudgets implements RetryBudget.Factory {

	private final String prefix;

	private final BooleanSupplier linkUp;

	private final Map<String, FleetRetryBudget> budgets = new ConcurrentHashMap<>();

	/**
	 * @param prefix the fleet's key prefix
	 * @param linkUp whether the last exchange with Redis succeeded in time
	 */
	FleetRetryBudgets(String prefix, BooleanSupplier linkUp) {
		this.prefix = prefix;
		this.linkUp = linkUp;
	}

	@Override
	public RetryBudget create(String entry, RetryBudgetSettings settings, Clock clock) {
		FleetRetryBudget budget = new FleetRetryBudget(settings, clock, this.linkUp);
		// A rebuilt client (mutate) replaces the budget it shares a name with: one counts per entry.
		this.budgets.put(entry, budget);
		return budget;
	}

	/** The budget of an entry, or {@code null}: for tests. */
	FleetRetryBudget budget(String entry) {
		return this.budgets.get(entry);
	}

	/**
	 * On the fleet's thread only: add each budget's new counts to the fleet's counters of their
	 * window and read the fleet's totals back.
	 * @param redis the exchange, which throws when Redis fails
	 */
	void exchange(Exchange redis) {
		for (Map.Entry<String, FleetRetryBudget> budget : this.budgets.entrySet()) {
			budget.getValue().exchange((window, calls, retries, ttlMillis) -> {
				String key = this.prefix + "budget:" + budget.getKey() + ":" + window;
				return new long[] { redis.incrementBy(key + ":calls", calls, ttlMillis),
						redis.incrementBy(key + ":retries", retries, ttlMillis) };
			});
		}
	}

	/** The one Redis command the budgets need. */
	@FunctionalInterface
	interface Exchange {

		/**
		 * {@code INCRBY key delta}, with a time-to-live when the key may be new.
		 * @return the key's value after the increment
		 */
		long incrementBy(String key, long delta, long ttlMillis);

	}

}

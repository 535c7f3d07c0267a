package io.github.aifallback.chat;

import java.time.Clock;

/**
 * How many retries one chain entry may still make, across every call of its client: retries
 * may add at most a share of the entry's requests over a sliding window, with a floor, as
 * Envoy's retry budget and gRPC's retry throttling do. When the budget is spent, a
 * transient failure falls back instead of retrying, so that an outage does not multiply
 * the load on a provider that is already struggling.
 * <p>
 * The chain calls {@link #recordRequest()} on the success path, once per call per entry
 * (its first attempt there): an implementation must neither block nor throw there. The
 * local one ({@link #local}) counts in memory; an implementation shared by several
 * instances (over Redis, for example) can replace it through
 * {@link ResilientChatClient.Builder#retryBudgetFactory(Factory)}.
 *
 * @since 0.1.0
 */
public interface RetryBudget {

	/**
	 * A call made its first attempt on the entry.
	 */
	void recordRequest();

	/**
	 * Take one retry from the budget.
	 * @return whether the retry may be made; {@code false} when the budget is spent
	 */
	boolean tryAcquireRetry();

	/**
	 * A budget counted in this JVM, in time buckets read from {@code clock}.
	 * @param settings the ratio, window and floor
	 * @param clock the clock the window slides by
	 * @return the budget
	 */
	static RetryBudget local(RetryBudgetSettings settings, Clock clock) {
		return new LocalRetryBudget(settings, clock);
	}

	/**
	 * Creates the budget of each entry when a client is built.
	 *
	 * @since 0.1.0
	 */
	@FunctionalInterface
	interface Factory {

		/** The default: a {@link RetryBudget#local local} budget per entry. */
		Factory LOCAL = (entry, settings, clock) -> RetryBudget.local(settings, clock);

		/**
		 * The budget of one entry.
		 * @param entry the entry's name
		 * @param settings the ratio, window and floor
		 * @param clock the client's clock
		 * @return the budget
		 */
		RetryBudget create(String entry, RetryBudgetSettings settings, Clock clock);

	}

}

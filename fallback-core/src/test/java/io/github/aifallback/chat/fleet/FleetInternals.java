package io.github.aifallback.chat.fleet;

/**
 * The fleet's package-private state, for the auto-configuration's end-to-end tests (a real
 * Redis, two application contexts): counts, budgets and forged records that only the
 * package itself may see. In the test jar only.
 */
public final class FleetInternals {

	private FleetInternals() {
	}

	/** The fleet's retries on the entry in the current window, as this instance last read them. */
	public static long fleetRetries(RedisFleetCircuitState fleet, String entry) {
		FleetRetryBudget budget = ((FleetRetryBudgets) fleet.retryBudgets()).budget(entry);
		return budget.fleetTotals()[1];
	}

	/** Whether the fleet's budgets hold one for this entry. */
	public static boolean hasRetryBudget(RedisFleetCircuitState fleet, String entry) {
		return ((FleetRetryBudgets) fleet.retryBudgets()).budget(entry) != null;
	}

	/** How many records read from Redis failed verification and were dropped. */
	public static long rejectedRecords(RedisFleetCircuitState fleet) {
		return fleet.rejectedRecords();
	}

	/** How many shared last-good values failed verification and were dropped. */
	public static long rejectedValues(SharedLastGoodStore store) {
		return store.rejectedValues();
	}

	/** A circuit record signed with this secret: an open circuit, as another writer would put it. */
	public static byte[] openRecord(String secret, String key, String id, long holdMillis) {
		return new FleetRecords(KeyHmac.of(secret)).write(key, FleetRecords.OPEN, id, holdMillis);
	}

}

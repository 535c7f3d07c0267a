package io.github.aifallback.chat.fleet;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import io.github.aifallback.chat.RetryBudget;
import io.github.aifallback.chat.RetryBudgetSettings;

/**
 * One entry's retry budget for the whole fleet. Callers count in memory only; the fleet's
 * thread adds what they counted to Redis counters per fixed window of the budget's length
 * and reads the fleet's totals back. A retry is granted while the fleet's retries stay
 * within {@code max(floor, ratio × calls)} over the last window, the previous window
 * weighted by how much of it still lies inside (a sliding estimate over two fixed windows).
 * The floor is the fleet's, not each instance's: N instances do not get N floors.
 * <p>
 * While the link to Redis is down, an instance decides on its own {@link RetryBudget#local
 * local} budget, which counts all along.
 */
final class FleetRetryBudget implements RetryBudget {

	private final RetryBudget local;

	private final Clock clock;

	private final long windowMillis;

	private final double ratio;

	private final double floor;

	private final BooleanSupplier linkUp;

	/** The current and the previous window, by the parity of their number. */
	private final AtomicReferenceArray<Window> windows = new AtomicReferenceArray<>(2);

	FleetRetryBudget(RetryBudgetSettings settings, Clock clock, BooleanSupplier linkUp) {
		this.local = RetryBudget.local(settings, clock);
		this.clock = clock;
		this.windowMillis = settings.window().toMillis();
		this.ratio = settings.ratio();
		this.floor = settings.floor();
		this.linkUp = linkUp;
	}

	@Override
	public void recordRequest() {
		this.local.recordRequest();
		window(this.clock.millis() / this.windowMillis).calls.increment();
	}

	@Override
	public synchronized boolean tryAcquireRetry() {
		if (!this.linkUp.getAsBoolean()) {
			boolean granted = this.local.tryAcquireRetry();
			if (granted) {
				// Told to the fleet when the link is back, if still in its window.
				window(this.clock.millis() / this.windowMillis).retries++;
			}
			return granted;
		}
		long now = this.clock.millis();
		long epoch = now / this.windowMillis;
		Window current = window(epoch);
		Window previous = this.windows.get((int) Math.floorMod(epoch - 1, 2L));
		double inside = 1.0 - (double) (now - epoch * this.windowMillis) / this.windowMillis;
		double calls = current.fleetCalls + current.calls.sum();
		double retries = current.fleetRetries + current.retries;
		if (previous != null && previous.epoch == epoch - 1) {
			calls += inside * (previous.fleetCalls + previous.calls.sum());
			retries += inside * (previous.fleetRetries + previous.retries);
		}
		if (retries + 1 > Math.max(this.floor, this.ratio * calls)) {
			return false;
		}
		current.retries++;
		// Counted locally too, so that a link that goes down finds the local budget up to date.
		this.local.tryAcquireRetry();
		return true;
	}

	/**
	 * On the fleet's thread: for the current and the previous window, add what was counted
	 * since the last exchange and keep the fleet's totals. Redis is called outside the lock.
	 */
	void exchange(WindowExchange redis) {
		long epoch = this.clock.millis() / this.windowMillis;
		// Read the fleet's totals even where this instance counted nothing yet.
		window(epoch - 1);
		window(epoch);
		for (int slot = 0; slot < 2; slot++) {
			Window window = this.windows.get(slot);
			if (window == null || window.epoch < epoch - 1 || window.settled) {
				continue;
			}
			long calls = window.calls.sum();
			long retries;
			synchronized (this) {
				retries = window.retries;
			}
			long[] totals = redis.add(window.epoch * this.windowMillis / 1000, calls - window.flushedCalls,
					retries - window.flushedRetries, 2 * this.windowMillis);
			synchronized (this) {
				window.fleetCalls = totals[0] - calls;
				window.fleetRetries = totals[1] - retries;
				window.flushedCalls = calls;
				window.flushedRetries = retries;
				// A past window is read once more after it ends, then no longer changes here.
				window.settled = window.epoch < epoch;
			}
		}
	}

	/** The fleet's calls and retries in the current window, this instance's included: for tests. */
	synchronized long[] fleetTotals() {
		Window current = window(this.clock.millis() / this.windowMillis);
		return new long[] { current.fleetCalls + current.calls.sum(), current.fleetRetries + current.retries };
	}

	/** The window of this number, replacing the stale one in its slot. */
	private Window window(long epoch) {
		int slot = (int) Math.floorMod(epoch, 2L);
		Window window = this.windows.get(slot);
		while (window == null || window.epoch != epoch) {
			if (window != null && window.epoch > epoch) {
				// A reader whose clock lagged a newer writer: count in the newer window.
				return window;
			}
			Window fresh = new Window(epoch);
			if (this.windows.compareAndSet(slot, window, fresh)) {
				return fresh;
			}
			window = this.windows.get(slot);
		}
		return window;
	}

	/** Adds one window's new counts to the fleet's and answers the fleet's totals. */
	@FunctionalInterface
	interface WindowExchange {

		/**
		 * @param windowStartSecond the window's start, in epoch seconds
		 * @param calls calls counted here since the last exchange
		 * @param retries retries granted here since the last exchange
		 * @param ttlMillis how long the window's counters must live
		 * @return the fleet's calls and retries in that window, these included
		 */
		long[] add(long windowStartSecond, long calls, long retries, long ttlMillis);

	}

	/**
	 * One fixed window: what this instance counted (calls without a lock, retries under the
	 * budget's lock), what of it the fleet already has, and what the others counted.
	 */
	private static final class Window {

		final long epoch;

		final LongAdder calls = new LongAdder();

		long retries;

		volatile long flushedCalls;

		volatile long flushedRetries;

		/** The other instances' counts, as last read. */
		volatile long fleetCalls;

		volatile long fleetRetries;

		volatile boolean settled;

		Window(long epoch) {
			this.epoch = epoch;
		}

	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One entry's bulkhead: at most so many attempts in flight at once. A call over the limit
 * goes on to the next entry, as past an open circuit, instead of piling onto one host; a
 * blocking call may first wait a little, within its deadline. Time spent here is ours, not
 * the provider's: it is never counted in the attempt's duration nor against its circuit.
 */
final class ConcurrencyLimit {

	private final int limit;

	private final Semaphore permits;

	private final Duration maxWait;

	/**
	 * @param limit the attempts in flight at most
	 * @param maxWait how long a blocking call may wait for a free place ({@link Duration#ZERO}:
	 * not at all)
	 */
	ConcurrencyLimit(int limit, Duration maxWait) {
		if (limit < 1) {
			throw new IllegalArgumentException("the concurrency limit must be at least 1");
		}
		this.limit = limit;
		this.permits = new Semaphore(limit);
		this.maxWait = maxWait;
	}

	int limit() {
		return this.limit;
	}

	/** Attempts in flight now. */
	int inFlight() {
		return this.limit - this.permits.availablePermits();
	}

	/**
	 * Take a place without waiting.
	 * @return whether one was free
	 */
	boolean tryEnter() {
		return this.permits.tryAcquire();
	}

	/**
	 * Take a place, waiting at most the limit's wait and {@code timeLeft}.
	 * @return whether one was free in time; {@code false} too when the thread is interrupted
	 * (its interrupt status kept)
	 */
	boolean enter(Duration timeLeft) {
		if (this.permits.tryAcquire()) {
			return true;
		}
		Duration wait = (this.maxWait.compareTo(timeLeft) <= 0) ? this.maxWait : timeLeft;
		if (wait.isZero() || wait.isNegative()) {
			return false;
		}
		try {
			return this.permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	void exit() {
		this.permits.release();
	}

}

package io.github.aifallback.chat;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link RetryBudget} kept in memory: the window is cut into {@value #BUCKETS} buckets,
 * each counting the calls and retries of its slice of time, and a bucket older than the
 * window is reused. Counting a call is lock-free (it is on the success path); taking a
 * retry locks, so that two failing calls cannot both take the last retry, and happens only
 * after a failure.
 */
final class LocalRetryBudget implements RetryBudget {

	static final int BUCKETS = 10;

	private final Clock clock;

	private final long bucketMillis;

	private final double ratio;

	private final double floor;

	private final AtomicReferenceArray<Bucket> buckets = new AtomicReferenceArray<>(BUCKETS);

	LocalRetryBudget(RetryBudgetSettings settings, Clock clock) {
		this.clock = clock;
		this.bucketMillis = Math.max(1, settings.window().toMillis() / BUCKETS);
		this.ratio = settings.ratio();
		this.floor = settings.floor();
	}

	@Override
	public void recordRequest() {
		current(this.clock.millis() / this.bucketMillis).requests.increment();
	}

	@Override
	public synchronized boolean tryAcquireRetry() {
		long epoch = this.clock.millis() / this.bucketMillis;
		long requests = 0;
		long retries = 0;
		for (int i = 0; i < BUCKETS; i++) {
			Bucket bucket = this.buckets.get(i);
			if (bucket != null && bucket.epoch > epoch - BUCKETS && bucket.epoch <= epoch) {
				requests += bucket.requests.sum();
				retries += bucket.retries.get();
			}
		}
		double allowed = Math.max(this.floor, this.ratio * requests);
		if (retries + 1 > allowed) {
			return false;
		}
		current(epoch).retries.incrementAndGet();
		return true;
	}

	/** Give back a retry taken in this slice of time and not made after all. */
	void refundRetry() {
		Bucket bucket = current(this.clock.millis() / this.bucketMillis);
		bucket.retries.updateAndGet((taken) -> Math.max(0, taken - 1));
	}

	/** The bucket of this slice of time, replacing the stale one in its slot. */
	private Bucket current(long epoch) {
		int slot = (int) Math.floorMod(epoch, (long) BUCKETS);
		Bucket bucket = this.buckets.get(slot);
		while (bucket == null || bucket.epoch != epoch) {
			if (bucket != null && bucket.epoch > epoch) {
				// A reader whose clock lagged a newer writer: count in the newer bucket.
				return bucket;
			}
			Bucket fresh = new Bucket(epoch);
			if (this.buckets.compareAndSet(slot, bucket, fresh)) {
				return fresh;
			}
			bucket = this.buckets.get(slot);
		}
		return bucket;
	}

	private static final class Bucket {

		final long epoch;

		/** Many threads count calls at once: a LongAdder spreads them over cells. */
		final LongAdder requests = new LongAdder();

		final AtomicLong retries = new AtomicLong();

		Bucket(long epoch) {
			this.epoch = epoch;
		}

	}

}

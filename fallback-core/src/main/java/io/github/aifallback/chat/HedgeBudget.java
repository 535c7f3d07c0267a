package io.github.aifallback.chat;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How many hedges the client may still start: at most {@code ratio} of the requests of its
 * hedged entries over a sliding 10-second window (ten one-second buckets), and at least
 * {@code minPerSecond} a second, as Envoy and gRPC cap retries. So when a provider slows down
 * for everyone, hedging adds a tenth of the load, not double. Lock-free: a bucket is reset by
 * the first thread that finds it stale (a race there loses a count or two, never blocks).
 */
final class HedgeBudget {

	private static final int BUCKETS = 10;

	private final double ratio;

	private final int minPerSecond;

	private final Clock clock;

	/** Per bucket: its second, its requests, its hedges. */
	private final AtomicLongArray seconds = new AtomicLongArray(BUCKETS);

	private final AtomicLongArray requests = new AtomicLongArray(BUCKETS);

	private final AtomicLongArray hedges = new AtomicLongArray(BUCKETS);

	HedgeBudget(double ratio, int minPerSecond, Clock clock) {
		this.ratio = ratio;
		this.minPerSecond = minPerSecond;
		this.clock = clock;
		for (int i = 0; i < BUCKETS; i++) {
			this.seconds.set(i, Long.MIN_VALUE);
		}
	}

	/** A request to a hedged entry starts. */
	void request() {
		this.requests.incrementAndGet(bucket(second()));
	}

	/** Take one hedge from the budget; {@code false} when it is spent. */
	boolean tryHedge() {
		long now = second();
		long requestsInWindow = 0;
		long hedgesInWindow = 0;
		for (int i = 0; i < BUCKETS; i++) {
			long second = this.seconds.get(i);
			if (second > now - BUCKETS && second <= now) {
				requestsInWindow += this.requests.get(i);
				hedgesInWindow += this.hedges.get(i);
			}
		}
		double allowed = Math.max(this.ratio * requestsInWindow, (double) this.minPerSecond * BUCKETS);
		if (hedgesInWindow + 1 > allowed) {
			return false;
		}
		this.hedges.incrementAndGet(bucket(now));
		return true;
	}

	private long second() {
		return Math.floorDiv(this.clock.millis(), 1000L);
	}

	private int bucket(long second) {
		int index = (int) Math.floorMod(second, (long) BUCKETS);
		long seen = this.seconds.get(index);
		if (seen != second && this.seconds.compareAndSet(index, seen, second)) {
			this.requests.set(index, 0);
			this.hedges.set(index, 0);
		}
		return index;
	}

}

package io.github.aifallback.chat;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The recent successful latencies of one hedged entry, and their p95: a ring of the last
 * {@value #SIZE} samples written without locks, the p95 recomputed by the recording thread
 * every {@value #EVERY} samples, so that reading it costs a volatile read. Exists only for
 * entries hedged on their observed p95.
 */
final class LatencyWindow {

	static final int SIZE = 128;

	/** Samples needed before the p95 means anything. */
	static final int MIN_SAMPLES = 20;

	static final int EVERY = 16;

	private final AtomicLongArray samples = new AtomicLongArray(SIZE);

	private final AtomicInteger count = new AtomicInteger();

	/** The p95 in milliseconds, or -1 until {@link #MIN_SAMPLES} were recorded. */
	private volatile long p95 = -1;

	void record(long millis) {
		int n = this.count.getAndIncrement();
		this.samples.set(Math.floorMod(n, SIZE), millis);
		int recorded = n + 1;
		if (recorded >= MIN_SAMPLES && (recorded == MIN_SAMPLES || recorded % EVERY == 0)) {
			this.p95 = percentile95(Math.min(recorded, SIZE));
		}
	}

	/** The p95 of the recent successes in milliseconds, or -1 when too few were seen. */
	long p95() {
		return this.p95;
	}

	private long percentile95(int size) {
		long[] sorted = new long[size];
		for (int i = 0; i < size; i++) {
			sorted[i] = this.samples.get(i);
		}
		Arrays.sort(sorted);
		return sorted[Math.min(size - 1, (int) Math.ceil(size * 0.95) - 1)];
	}

}

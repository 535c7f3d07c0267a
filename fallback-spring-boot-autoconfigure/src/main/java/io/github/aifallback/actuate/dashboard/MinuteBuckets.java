package io.github.aifallback.actuate.dashboard;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Counters and latency samples in one-minute buckets over the last {@value #MINUTES}
 * minutes: a fixed ring, so memory stays bounded whatever the traffic. A bucket is reused
 * when its minute comes round again.
 */
final class MinuteBuckets {

	static final int MINUTES = 15;

	// Per minute: enough for stable p50/p95, bounded by reservoir sampling beyond it.
	static final int SAMPLES_PER_MINUTE = 256;

	private final int width;

	private final Bucket[] buckets = new Bucket[MINUTES];

	MinuteBuckets(int width) {
		this.width = width;
	}

	synchronized void add(long minute, int counter) {
		bucket(minute).counts[counter]++;
	}

	synchronized void sample(long minute, long millis) {
		Bucket bucket = bucket(minute);
		if (bucket.samples == null) {
			bucket.samples = new long[SAMPLES_PER_MINUTE];
		}
		long seen = ++bucket.seen;
		if (seen <= SAMPLES_PER_MINUTE) {
			bucket.samples[(int) seen - 1] = millis;
		}
		else {
			long slot = ThreadLocalRandom.current().nextLong(seen);
			if (slot < SAMPLES_PER_MINUTE) {
				bucket.samples[(int) slot] = millis;
			}
		}
	}

	/**
	 * The counters of each minute of the window, oldest first, zeros where nothing
	 * happened.
	 */
	synchronized long[][] perMinute(long now) {
		long[][] rows = new long[MINUTES][];
		for (int i = 0; i < MINUTES; i++) {
			long minute = now - (MINUTES - 1) + i;
			Bucket bucket = this.buckets[index(minute)];
			rows[i] = (bucket != null && bucket.minute == minute) ? bucket.counts.clone() : new long[this.width];
		}
		return rows;
	}

	/** The latency samples of the whole window, sorted. */
	synchronized long[] samples(long now) {
		long[] all = new long[0];
		for (Bucket bucket : this.buckets) {
			if (bucket != null && bucket.samples != null && bucket.minute > now - MINUTES && bucket.minute <= now) {
				int size = (int) Math.min(bucket.seen, SAMPLES_PER_MINUTE);
				int from = all.length;
				all = Arrays.copyOf(all, from + size);
				System.arraycopy(bucket.samples, 0, all, from, size);
			}
		}
		Arrays.sort(all);
		return all;
	}

	/** The nearest-rank percentile of sorted samples, or {@code null} when there are none. */
	static Long percentile(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return null;
		}
		int rank = (int) Math.ceil(quantile * sorted.length);
		return sorted[Math.max(0, rank - 1)];
	}

	private Bucket bucket(long minute) {
		int index = index(minute);
		Bucket bucket = this.buckets[index];
		if (bucket == null || bucket.minute != minute) {
			bucket = new Bucket(minute, this.width);
			this.buckets[index] = bucket;
		}
		return bucket;
	}

	private static int index(long minute) {
		return (int) Math.floorMod(minute, (long) MINUTES);
	}

	private static final class Bucket {

		private final long minute;

		private final long[] counts;

		// Only buckets that are given samples pay for them.
		private long[] samples;

		private long seen;

		private Bucket(long minute, int width) {
			this.minute = minute;
			this.counts = new long[width];
		}

	}

}

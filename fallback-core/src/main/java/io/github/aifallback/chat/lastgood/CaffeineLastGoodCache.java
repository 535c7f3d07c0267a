package io.github.aifallback.chat.lastgood;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import org.springframework.cache.caffeine.CaffeineCache;

/**
 * The starter's own last-good cache: Caffeine, bounded in age, in count and in memory.
 * Kept apart from the application's caches so that its bounds hold whatever the
 * application configures.
 * <p>
 * Caffeine bounds by count or by weight, not both; both bounds hold here because each
 * answer weighs its approximate size in bytes but never less than
 * {@code maxWeight / maxSize}: at most {@code maxSize} answers then fit, and a few large
 * answers cannot take more than {@code maxWeight} either.
 */
public final class CaffeineLastGoodCache {

	/** What an entry costs besides its texts: the key, the record, its strings' headers. */
	static final int OVERHEAD_BYTES = 256;

	private CaffeineLastGoodCache() {
	}

	/**
	 * A cache bounded in age, in count and in memory.
	 * @param name the cache's name
	 * @param ttl how long an answer is kept
	 * @param maxSize at most this many answers
	 * @param maxWeightBytes at most about this many bytes on the heap
	 * @return the cache
	 * @since 0.1.0
	 */
	public static CaffeineCache create(String name, Duration ttl, long maxSize, long maxWeightBytes) {
		return create(name, ttl, maxSize, maxWeightBytes, Ticker.systemTicker());
	}

	static CaffeineCache create(String name, Duration ttl, long maxSize, long maxWeightBytes, Ticker ticker) {
		long floor = Math.max(1, maxWeightBytes / maxSize);
		return new CaffeineCache(name, Caffeine.newBuilder()
			.expireAfterWrite(ttl)
			.maximumWeight(maxWeightBytes)
			.<Object, Object>weigher((key, value) -> (int) Math.min(Integer.MAX_VALUE, Math.max(floor, weight(key, value))))
			.ticker(ticker)
			// Maintenance (a few buffered writes, the odd eviction) on the writing thread,
			// under Caffeine's try-lock: the client writes its answers in batches from a
			// thread of its own (GuardedLastGoodStore), so the upkeep runs there, once per
			// answer of the batch, with no further hand-off; the default
			// (ForkJoinPool.commonPool()) would wake a pool thread for nearly every answer.
			// Nothing here blocks: no removal listener, a cheap weigher.
			.executor(Runnable::run)
			.build(), false);
	}

	/** Approximate bytes on the heap: two per character of the key and of every text. */
	static long weight(Object key, Object value) {
		long bytes = OVERHEAD_BYTES + 2L * String.valueOf(key).length();
		if (value instanceof LastGoodAnswer answer) {
			for (LastGoodAnswer.StoredGeneration generation : answer.generations()) {
				bytes += 64 + 2L * length(generation.text()) + 2L * length(generation.finishReason());
			}
			bytes += 2L * (length(answer.id()) + length(answer.model()) + length(answer.servedBy()));
		}
		return bytes;
	}

	private static int length(String text) {
		return (text != null) ? text.length() : 0;
	}

}

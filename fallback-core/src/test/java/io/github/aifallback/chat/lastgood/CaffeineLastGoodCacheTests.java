package io.github.aifallback.chat.lastgood;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;

import org.springframework.cache.caffeine.CaffeineCache;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's own cache stays bounded in size and in age; time is a fake ticker.
 */
class CaffeineLastGoodCacheTests {

	private static final long MEGABYTE = 1024 * 1024;

	private final AtomicLong nanos = new AtomicLong();

	private final Ticker ticker = this.nanos::get;

	private final Clock frozen = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

	private static LastGoodAnswer answer(int i) {
		return answer("answer " + i);
	}

	private static LastGoodAnswer answer(String text) {
		return new LastGoodAnswer(List.of(new LastGoodAnswer.StoredGeneration(text, "STOP")), "id", "m", 1, 2, 3,
				"primary", Instant.parse("2026-01-01T00:00:00Z"));
	}

	@Test
	void whenFilledPastMaxSizeThenTheCacheStaysBounded() {
		CaffeineCache cache = CaffeineLastGoodCache.create("last-good", Duration.ofHours(1), 100, MEGABYTE, this.ticker);
		CacheLastGoodStore store = new CacheLastGoodStore(cache, Duration.ofHours(1), this.frozen);

		for (int i = 0; i < 5_000; i++) {
			store.put("key-" + i, answer(i));
		}
		cache.getNativeCache().cleanUp();

		assertThat(cache.getNativeCache().estimatedSize()).isBetween(1L, 100L);
	}

	@Test
	void whenAnswersAreLargeThenTheCacheIsBoundedByTheirWeightNotOnlyByCount() {
		CaffeineCache cache = CaffeineLastGoodCache.create("last-good", Duration.ofHours(1), 10_000, MEGABYTE,
				this.ticker);
		CacheLastGoodStore store = new CacheLastGoodStore(cache, Duration.ofHours(1), this.frozen);
		String hundredKilobytes = "x".repeat(50 * 1024);

		for (int i = 0; i < 100; i++) {
			store.put("key-" + i, answer(hundredKilobytes + i));
		}
		cache.getNativeCache().cleanUp();

		long kept = cache.getNativeCache().estimatedSize();
		assertThat(kept).as("100 answers of 100 KB, in 1 MB").isBetween(1L, 10L);
		assertThat(cache.getNativeCache().policy().eviction().orElseThrow().weightedSize().orElseThrow())
			.isLessThanOrEqualTo(MEGABYTE);
	}

	@Test
	void whenAnswersAreSmallThenTheCountStillBoundsTheCache() {
		CaffeineCache cache = CaffeineLastGoodCache.create("last-good", Duration.ofHours(1), 10, 64 * MEGABYTE,
				this.ticker);
		CacheLastGoodStore store = new CacheLastGoodStore(cache, Duration.ofHours(1), this.frozen);

		for (int i = 0; i < 1_000; i++) {
			store.put("key-" + i, answer(i));
		}
		cache.getNativeCache().cleanUp();

		assertThat(cache.getNativeCache().estimatedSize()).isLessThanOrEqualTo(10);
	}

	@Test
	void whenAnEntryIsOlderThanTheTtlThenCaffeineNoLongerServesIt() {
		CaffeineCache cache = CaffeineLastGoodCache.create("last-good", Duration.ofMinutes(10), 100, MEGABYTE, this.ticker);
		CacheLastGoodStore store = new CacheLastGoodStore(cache, Duration.ofMinutes(10), this.frozen);
		store.put("key", answer(1));

		this.nanos.addAndGet(Duration.ofMinutes(9).toNanos());
		assertThat(store.get("key")).isNotNull();
		this.nanos.addAndGet(Duration.ofMinutes(2).toNanos());
		assertThat(store.get("key")).isNull();
	}

}

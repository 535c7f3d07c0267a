package io.github.aifallback.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.aifallback.chat.CacheLastGoodStore;
import io.github.aifallback.chat.LastGoodAnswer;
import org.junit.jupiter.api.Test;

import org.springframework.cache.caffeine.CaffeineCache;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's own cache stays bounded in size and in age; time is a fake ticker.
 */
class CaffeineLastGoodCacheTests {

	private final AtomicLong nanos = new AtomicLong();

	private final Ticker ticker = this.nanos::get;

	private final Clock frozen = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

	private static LastGoodAnswer answer(int i) {
		return new LastGoodAnswer(List.of(new LastGoodAnswer.StoredGeneration("answer " + i, "STOP")), "id-" + i,
				"m", 1, 2, 3, "primary", Instant.parse("2026-01-01T00:00:00Z"));
	}

	@Test
	void whenFilledPastMaxSizeThenTheCacheStaysBounded() {
		CaffeineCache cache = CaffeineLastGoodCache.create("last-good", Duration.ofHours(1), 100, this.ticker);
		CacheLastGoodStore store = new CacheLastGoodStore(cache, Duration.ofHours(1), this.frozen);

		for (int i = 0; i < 5_000; i++) {
			store.put("key-" + i, answer(i));
		}
		cache.getNativeCache().cleanUp();

		assertThat(cache.getNativeCache().estimatedSize()).isLessThanOrEqualTo(100);
		assertThat(store.get("key-4999")).isNotNull();
	}

	@Test
	void whenAnEntryIsOlderThanTheTtlThenCaffeineNoLongerServesIt() {
		CaffeineCache cache = CaffeineLastGoodCache.create("last-good", Duration.ofMinutes(10), 100, this.ticker);
		CacheLastGoodStore store = new CacheLastGoodStore(cache, Duration.ofMinutes(10), this.frozen);
		store.put("key", answer(1));

		this.nanos.addAndGet(Duration.ofMinutes(9).toNanos());
		assertThat(store.get("key")).isNotNull();
		this.nanos.addAndGet(Duration.ofMinutes(2).toNanos());
		assertThat(store.get("key")).isNull();
	}

}

package io.github.aifallback.autoconfigure;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import org.springframework.cache.caffeine.CaffeineCache;

/**
 * The starter's own last-good cache: Caffeine, bounded in size and age. Kept apart from the
 * application's caches so that its bounds hold whatever the application configures.
 */
final class CaffeineLastGoodCache {

	private CaffeineLastGoodCache() {
	}

	static CaffeineCache create(String name, Duration ttl, long maxSize) {
		return create(name, ttl, maxSize, Ticker.systemTicker());
	}

	static CaffeineCache create(String name, Duration ttl, long maxSize, Ticker ticker) {
		return new CaffeineCache(name,
				Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxSize).ticker(ticker).build(), false);
	}

}

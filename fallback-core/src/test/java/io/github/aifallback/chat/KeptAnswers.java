package io.github.aifallback.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentMap;

import io.github.aifallback.chat.lastgood.CacheLastGoodStore;
import io.github.aifallback.chat.lastgood.internal.GuardedLastGoodStore;

import org.springframework.cache.concurrent.ConcurrentMapCache;

/**
 * An in-memory last-good cache behind the guard the client's builder gives every store
 * (its writes batched on the guard's pool), for tests that look into the cache itself.
 */
final class KeptAnswers {

	private final ConcurrentMapCache cache = new ConcurrentMapCache("last-good");

	private final GuardedLastGoodStore store;

	KeptAnswers(Clock clock) {
		this.store = GuardedLastGoodStore.guard(new CacheLastGoodStore(this.cache, Duration.ofHours(1), clock));
	}

	/** The store to give the client's builder. */
	GuardedLastGoodStore store() {
		return this.store;
	}

	/** The cache itself, for a test that plants an entry. */
	ConcurrentMapCache cache() {
		return this.cache;
	}

	/** What the cache holds once the store's batch is written. */
	ConcurrentMap<Object, Object> stored() {
		this.store.flush();
		return this.cache.getNativeCache();
	}

}

package io.github.aifallback.chat.lastgood;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import org.springframework.cache.Cache;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.util.ClassUtils;

/**
 * A {@link LastGoodStore} over a Spring {@link Cache} that holds {@link LastGoodAnswer}
 * objects as they are: the starter's own Caffeine cache, or any cache private to this
 * process. Answers older than the time-to-live are never served, whatever the cache's own
 * expiry. A failing cache throws: the client guards every store, so that a failure or a
 * slow cache is a miss and never fails or holds up a call. A cache shared between
 * instances (Redis) keeps the starter's own JSON under keyed hashes instead, set up by the
 * auto-configuration with {@code ai.fallback.cache.use-cache-manager}.
 *
 * @since 0.1.0
 */
public final class CacheLastGoodStore implements LastGoodStore {

	private static final String CAFFEINE_CACHE = "org.springframework.cache.caffeine.CaffeineCache";

	private static final String CAFFEINE_LOADING_CACHE = "com.github.benmanes.caffeine.cache.LoadingCache";

	private final Cache cache;

	private final Duration timeToLive;

	private final Clock clock;

	/**
	 * Create a store.
	 * @param cache the cache
	 * @param timeToLive the oldest answer that may be served
	 * @param clock the clock answers' ages are read with
	 */
	public CacheLastGoodStore(Cache cache, Duration timeToLive, Clock clock) {
		this.cache = Objects.requireNonNull(cache, "cache");
		this.timeToLive = Objects.requireNonNull(timeToLive, "timeToLive");
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	@Override
	public LastGoodAnswer get(String key) {
		LastGoodAnswer answer = this.cache.get(key, LastGoodAnswer.class);
		if (answer != null && answer.storedAt().plus(this.timeToLive).isBefore(this.clock.instant())) {
			this.cache.evict(key);
			return null;
		}
		return answer;
	}

	@Override
	public void put(String key, LastGoodAnswer answer) {
		this.cache.put(key, answer);
	}

	/**
	 * Whether the cache lives in this process and never blocks: a plain map, or a Caffeine
	 * cache that loads nothing. Only those exact classes: a subclass may do anything. The
	 * client reads and writes such a store on the caller's thread, not through its pools.
	 * @return whether the cache is in memory
	 * @since 0.1.0
	 */
	public boolean isInMemory() {
		if (this.cache.getClass() == ConcurrentMapCache.class) {
			return true;
		}
		if (!this.cache.getClass().getName().equals(CAFFEINE_CACHE)) {
			return false;
		}
		ClassLoader loader = this.cache.getClass().getClassLoader();
		if (!ClassUtils.isPresent(CAFFEINE_LOADING_CACHE, loader)) {
			return false;
		}
		return !ClassUtils.resolveClassName(CAFFEINE_LOADING_CACHE, loader).isInstance(this.cache.getNativeCache());
	}

	@Override
	public String toString() {
		return "CacheLastGoodStore[" + this.cache.getName() + ", ttl=" + this.timeToLive + "]";
	}

}

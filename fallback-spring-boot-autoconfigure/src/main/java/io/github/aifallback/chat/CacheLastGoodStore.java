package io.github.aifallback.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cache.Cache;

/**
 * A {@link LastGoodStore} over a Spring {@link Cache}: Caffeine in one instance, or the
 * application's own cache (Redis, say) to share answers across instances. Answers older
 * than the time-to-live are never served, whatever the cache's own expiry; a failing
 * cache is logged and treated as empty.
 *
 * @since 0.1.0
 */
public final class CacheLastGoodStore implements LastGoodStore {

	private static final Logger logger = LoggerFactory.getLogger(CacheLastGoodStore.class);

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
		try {
			LastGoodAnswer answer = this.cache.get(key, LastGoodAnswer.class);
			if (answer != null && answer.storedAt().plus(this.timeToLive).isBefore(this.clock.instant())) {
				this.cache.evict(key);
				return null;
			}
			return answer;
		}
		catch (RuntimeException ex) {
			logger.warn("AI fallback: last-good cache '{}' could not be read: {}", this.cache.getName(), ex.toString());
			return null;
		}
	}

	@Override
	public void put(String key, LastGoodAnswer answer) {
		try {
			this.cache.put(key, answer);
		}
		catch (RuntimeException ex) {
			logger.warn("AI fallback: last-good cache '{}' could not be written: {}", this.cache.getName(),
					ex.toString());
		}
	}

	@Override
	public String toString() {
		return "CacheLastGoodStore[" + this.cache.getName() + ", ttl=" + this.timeToLive + "]";
	}

}

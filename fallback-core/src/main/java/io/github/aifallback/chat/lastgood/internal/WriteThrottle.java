package io.github.aifallback.chat.lastgood.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a key's last good answer at most once a second. Without it, every success of a
 * popular request rewrites the same cache entry: all concurrent calls then queue on that
 * entry's lock (Caffeine), or each pays a network write (Redis). The answer kept is thus at
 * most a second older than the latest one. Bounded: past {@value #MAX_KEYS} keys it forgets
 * them all, which only lets a few extra writes through.
 */
public final class WriteThrottle {

	static final long INTERVAL_MILLIS = 1_000;

	static final int MAX_KEYS = 10_000;

	private final Map<String, Long> lastWrite = new ConcurrentHashMap<>();

	/**
	 * Whether to write this key now; the check is a lock-free read on the hot path.
	 * @param key the last-good key
	 * @param nowMillis the current time
	 * @return whether to write
	 */
	public boolean tryAcquire(String key, long nowMillis) {
		Long last = this.lastWrite.get(key);
		if (last != null && nowMillis - last < INTERVAL_MILLIS && nowMillis >= last) {
			return false;
		}
		if (this.lastWrite.size() >= MAX_KEYS) {
			this.lastWrite.clear();
		}
		this.lastWrite.put(key, nowMillis);
		return true;
	}

}

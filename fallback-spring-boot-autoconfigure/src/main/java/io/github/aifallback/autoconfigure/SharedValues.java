package io.github.aifallback.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.cache.Cache;

/**
 * Raw values in a cache shared between instances, under keys already hashed.
 */
interface SharedValues {

	/** The value under the key, or {@code null}. */
	byte[] get(String key);

	/** Keep the value under the key, for the time-to-live where the cache can. */
	void put(String key, byte[] value, Duration ttl);

	/**
	 * Any Spring {@link Cache}: the JSON is stored as a {@link String}, so the cache's own
	 * serialisation (if it has one) only ever handles strings. The time-to-live is the
	 * cache's own; the store checks each answer's age when reading.
	 */
	static SharedValues of(Cache cache) {
		return new SharedValues() {

			@Override
			public byte[] get(String key) {
				Cache.ValueWrapper wrapper = cache.get(key);
				Object value = (wrapper != null) ? wrapper.get() : null;
				return (value instanceof String json) ? json.getBytes(StandardCharsets.UTF_8) : null;
			}

			@Override
			public void put(String key, byte[] value, Duration ttl) {
				cache.put(key, new String(value, StandardCharsets.UTF_8));
			}

			@Override
			public String toString() {
				return "cache '" + cache.getName() + "'";
			}

		};
	}

}

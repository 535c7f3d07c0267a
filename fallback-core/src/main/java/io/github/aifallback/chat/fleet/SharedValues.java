package io.github.aifallback.chat.fleet;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.cache.Cache;

/**
 * Raw values in a cache shared between instances, under keys already hashed.
 *
 * @since 0.1.0
 */
public interface SharedValues {

	/**
	 * The value under the key, or {@code null}.
	 * @param key the hashed key
	 * @return the raw value, or {@code null}
	 */
	byte[] get(String key);

	/**
	 * Keep the value under the key, for the time-to-live where the cache can.
	 * @param key the hashed key
	 * @param value the raw value
	 * @param ttl how long the value may be kept
	 */
	void put(String key, byte[] value, Duration ttl);

	/**
	 * A Redis cache through its own writer, past its value serialiser; only when Spring Data
	 * Redis is on the classpath.
	 * @param cache the cache, perhaps transaction-aware
	 * @return its values, or {@code null} when it is not a Redis cache
	 * @since 0.1.0
	 */
	static SharedValues ofRedis(Cache cache) {
		return RedisSharedValues.ofRedis(cache);
	}

	/**
	 * Any Spring {@link Cache}: the JSON is stored as a {@link String}, so the cache's own
	 * serialisation (if it has one) only ever handles strings. The time-to-live is the
	 * cache's own; the store checks each answer's age when reading.
	 * @param cache the cache
	 * @return its values
	 * @since 0.1.0
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

package io.github.aifallback.chat.fleet;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.cache.Cache;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;
import org.springframework.data.redis.cache.RedisCache;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheWriter;

/**
 * A Redis cache used through its own {@link RedisCacheWriter}, past the cache's value
 * serialiser (by default Java serialisation): our bytes go to Redis as they are, each put
 * sets the TTL on the Redis side, and reading never deserialises a Java object. Keys keep
 * the cache's prefix ({@code name::} by default). Loaded only when Spring Data Redis is on
 * the classpath.
 */
final class RedisSharedValues implements SharedValues {

	private final RedisCacheWriter writer;

	private final String name;

	private final String prefix;

	private RedisSharedValues(RedisCache cache) {
		this.writer = cache.getNativeCache();
		this.name = cache.getName();
		RedisCacheConfiguration configuration = cache.getCacheConfiguration();
		this.prefix = configuration.usePrefix() ? configuration.getKeyPrefixFor(this.name) : "";
	}

	/** Values in this cache's Redis, or {@code null} when it is not a Redis cache. */
	static SharedValues ofRedis(Cache cache) {
		Cache target = (cache instanceof TransactionAwareCacheDecorator decorator) ? decorator.getTargetCache() : cache;
		return (target instanceof RedisCache redis) ? new RedisSharedValues(redis) : null;
	}

	@Override
	public byte[] get(String key) {
		return this.writer.get(this.name, redisKey(key));
	}

	@Override
	public void put(String key, byte[] value, Duration ttl) {
		this.writer.put(this.name, redisKey(key), value, ttl);
	}

	private byte[] redisKey(String key) {
		return (this.prefix + key).getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return "Redis cache '" + this.name + "'";
	}

}

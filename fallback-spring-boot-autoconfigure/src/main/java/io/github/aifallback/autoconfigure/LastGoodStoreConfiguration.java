package io.github.aifallback.autoconfigure;

import java.time.Clock;

import io.github.aifallback.chat.lastgood.CaffeineLastGoodCache;
import io.github.aifallback.chat.fleet.SharedValues;
import io.github.aifallback.chat.fleet.SharedLastGoodStore;
import io.github.aifallback.chat.fleet.KeyHmac;
import io.github.aifallback.chat.lastgood.CacheLastGoodStore;
import io.github.aifallback.chat.lastgood.LastGoodStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * The store of last good answers: the starter's own bounded Caffeine cache, or, with
 * {@code ai.fallback.cache.use-cache-manager=true}, a cache of the application's
 * {@link CacheManager} (Redis, to share answers across instances), which holds the
 * starter's own signed JSON under HMAC-hashed keys ({@code ai.fallback.cache.key-secret}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "ai.fallback.cache.enabled", matchIfMissing = true)
class LastGoodStoreConfiguration {

	private static final String CAFFEINE = "com.github.benmanes.caffeine.cache.Caffeine";

	private static final String REDIS_CACHE = "org.springframework.data.redis.cache.RedisCache";

	@Bean
	@ConditionalOnMissingBean
	LastGoodStore aiFallbackLastGoodStore(FallbackProperties properties, ObjectProvider<CacheManager> cacheManagers,
			ApplicationContext context,
			@Qualifier(FallbackAutoConfiguration.CLOCK_BEAN_NAME) ObjectProvider<Clock> clocks) {
		CacheProperties settings = properties.getCache();
		// The client's own clock: an answer is stamped by it, so its age must be read by it.
		Clock clock = clocks.getIfAvailable(Clock::systemUTC);
		Require.positive("ai.fallback.cache.ttl", settings.getTtl());
		if (settings.isUseCacheManager()) {
			Cache cache = applicationCache(settings, cacheManagers);
			return new SharedLastGoodStore(sharedValues(cache, context.getClassLoader()), keyHmac(settings),
					settings.getTtl(), clock);
		}
		if (settings.getMaxSize() < 1) {
			throw new InvalidFallbackConfigurationException("ai.fallback.cache.max-size",
					"the value " + settings.getMaxSize() + " is below 1",
					"Set ai.fallback.cache.max-size to 1 or more, or turn the cache off with ai.fallback.cache.enabled=false.");
		}
		if (settings.getMaxWeight() == null || settings.getMaxWeight().toBytes() < 1) {
			throw new InvalidFallbackConfigurationException("ai.fallback.cache.max-weight",
					"the value is not a positive size",
					"Set ai.fallback.cache.max-weight to a positive size such as 64MB, or turn the cache off with "
							+ "ai.fallback.cache.enabled=false.");
		}
		if (!ClassUtils.isPresent(CAFFEINE, context.getClassLoader())) {
			throw new InvalidFallbackConfigurationException("ai.fallback.cache.enabled",
					"the last-good cache needs Caffeine, which is not on the classpath",
					"Add com.github.ben-manes.caffeine:caffeine (fallback-spring-boot-starter brings it), set "
							+ "ai.fallback.cache.use-cache-manager=true, or ai.fallback.cache.enabled=false.");
		}
		return new CacheLastGoodStore(CaffeineLastGoodCache.create(settings.getName(), settings.getTtl(),
				settings.getMaxSize(), settings.getMaxWeight().toBytes()), settings.getTtl(), clock);
	}

	/**
	 * Redis through its own writer (our bytes, Redis-side TTL); an in-memory cache that holds
	 * our strings by reference; nothing else. Any other cache (a decorator around a
	 * RedisCache, a JCache, a cache that stores by value) runs its own deserialiser on
	 * whatever a writer put there before the starter can look at it: refused.
	 */
	private static SharedValues sharedValues(Cache cache, ClassLoader classLoader) {
		SharedValues redis = ClassUtils.isPresent(REDIS_CACHE, classLoader) ? SharedValues.ofRedis(cache) : null;
		if (redis != null) {
			return redis;
		}
		if (holdsReferences(cache)) {
			return SharedValues.of(cache);
		}
		throw new InvalidFallbackConfigurationException("ai.fallback.cache.use-cache-manager",
				"the cache '" + cache.getName() + "' is a " + cache.getClass().getName() + ", which the starter cannot "
						+ "read past: its get() may deserialise (by Java serialisation, for Spring Data Redis's "
						+ "default) whatever a writer to the shared store put there, before the starter can check it",
				"Let the CacheManager return the RedisCache itself for '" + cache.getName() + "' (not a decorator "
						+ "around it: metrics, tracing or fail-safe wrappers), or set "
						+ "ai.fallback.cache.use-cache-manager=false to use the starter's own Caffeine cache.");
	}

	/** In-memory caches that keep the very String put, never a serialised form of it. */
	private static boolean holdsReferences(Cache cache) {
		if (cache instanceof ConcurrentMapCache map) {
			return !map.isStoreByValue();
		}
		return "org.springframework.cache.caffeine.CaffeineCache".equals(cache.getClass().getName());
	}

	/**
	 * The configured secret: keys and values are signed with it. The secret itself is
	 * never logged nor put in an exception.
	 */
	private static KeyHmac keyHmac(CacheProperties settings) {
		String secret = settings.getKeySecret();
		if (secret == null || secret.isEmpty()) {
			throw new InvalidFallbackConfigurationException("ai.fallback.cache.key-secret",
					"answers shared through the application's CacheManager must be signed, and no secret is set",
					"Set ai.fallback.cache.key-secret to a random value of at least " + KeyHmac.MIN_SECRET_BYTES
							+ " bytes (for example 'openssl rand -base64 48'), the same on every instance, or set "
							+ "ai.fallback.cache.use-cache-manager=false.");
		}
		try {
			return KeyHmac.of(secret);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidFallbackConfigurationException("ai.fallback.cache.key-secret",
					"the secret is " + ex.getMessage(),
					"Set ai.fallback.cache.key-secret to a random value of at least " + KeyHmac.MIN_SECRET_BYTES
							+ " bytes (for example 'openssl rand -base64 48'), the same on every instance.");
		}
	}

	private static Cache applicationCache(CacheProperties settings, ObjectProvider<CacheManager> managers) {
		CacheManager manager = managers.getIfUnique();
		if (manager == null) {
			throw new InvalidFallbackConfigurationException("ai.fallback.cache.use-cache-manager",
					"no single CacheManager bean exists to hold the last good answers",
					"Enable caching in the application (@EnableCaching, with spring.cache.type=redis for answers "
							+ "shared across instances), or set ai.fallback.cache.use-cache-manager=false to use the "
							+ "starter's own Caffeine cache.");
		}
		Cache cache = manager.getCache(settings.getName());
		if (cache == null) {
			throw new InvalidFallbackConfigurationException("ai.fallback.cache.name",
					"the application's CacheManager has no cache named '" + settings.getName() + "'",
					"Add '" + settings.getName() + "' to spring.cache.cache-names, or let the CacheManager create "
							+ "caches on demand (leave spring.cache.cache-names empty).");
		}
		return cache;
	}

}

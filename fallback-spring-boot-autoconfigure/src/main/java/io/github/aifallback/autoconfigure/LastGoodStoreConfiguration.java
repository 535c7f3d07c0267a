package io.github.aifallback.autoconfigure;

import java.time.Clock;

import io.github.aifallback.chat.CacheLastGoodStore;
import io.github.aifallback.chat.LastGoodStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * The store of last good answers: the starter's own bounded Caffeine cache, or, with
 * {@code ai.fallback.cache.use-cache-manager=true}, a cache of the application's
 * {@link CacheManager} (Redis, to share answers across instances).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "ai.fallback.cache.enabled", matchIfMissing = true)
class LastGoodStoreConfiguration {

	private static final String CAFFEINE = "com.github.benmanes.caffeine.cache.Caffeine";

	@Bean
	@ConditionalOnMissingBean
	LastGoodStore aiFallbackLastGoodStore(FallbackProperties properties, ObjectProvider<CacheManager> cacheManagers,
			ApplicationContext context) {
		FallbackProperties.Cache settings = properties.getCache();
		ChainFactory.requirePositive("ai.fallback.cache.ttl", settings.getTtl());
		if (settings.isUseCacheManager()) {
			return new CacheLastGoodStore(applicationCache(settings, cacheManagers), settings.getTtl(),
					Clock.systemUTC());
		}
		if (settings.getMaxSize() < 1) {
			throw new InvalidFallbackConfigurationException("ai.fallback.cache.max-size",
					"the value " + settings.getMaxSize() + " is below 1",
					"Set ai.fallback.cache.max-size to 1 or more, or turn the cache off with ai.fallback.cache.enabled=false.");
		}
		if (!ClassUtils.isPresent(CAFFEINE, context.getClassLoader())) {
			throw new InvalidFallbackConfigurationException("ai.fallback.cache.enabled",
					"the last-good cache needs Caffeine, which is not on the classpath",
					"Add com.github.ben-manes.caffeine:caffeine (fallback-spring-boot-starter brings it), set "
							+ "ai.fallback.cache.use-cache-manager=true, or ai.fallback.cache.enabled=false.");
		}
		return new CacheLastGoodStore(
				CaffeineLastGoodCache.create(settings.getName(), settings.getTtl(), settings.getMaxSize()),
				settings.getTtl(), Clock.systemUTC());
	}

	private static Cache applicationCache(FallbackProperties.Cache settings, ObjectProvider<CacheManager> managers) {
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

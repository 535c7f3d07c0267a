package io.github.aifallback.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.github.aifallback.chat.lastgood.LastGoodAnswer;
import io.github.aifallback.chat.lastgood.LastGoodStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last-good store the auto-configuration builds: a shared cache gets the starter's JSON
 * under HMAC-hashed keys, and its secret is checked at start-up and never printed.
 */
@ExtendWith(OutputCaptureExtension.class)
class LastGoodStoreConfigurationTests {

	private static final String LONG_SECRET = "a-shared-secret-of-at-least-32-bytes!";

	private final ApplicationContextRunner bare = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withPropertyValues("spring.ai.openai.api-key=k", "ai.fallback.chain[0].model=model-a");

	private final ApplicationContextRunner runner = this.bare.withUserConfiguration(CacheManagerConfiguration.class);

	private static final Instant STORED_AT = Instant.parse("2020-01-01T00:00:00Z");

	private static LastGoodAnswer answer() {
		return new LastGoodAnswer(List.of(new LastGoodAnswer.StoredGeneration("an answer", "stop")), null, null, null,
				null, null, "primary", Instant.now());
	}

	@Test
	void whenASharedCacheIsUsedThenItHoldsJsonStringsUnderKeyedHashes() {
		this.runner.withPropertyValues("ai.fallback.cache.use-cache-manager=true",
				"ai.fallback.cache.key-secret=" + LONG_SECRET)
			.run((context) -> {
				LastGoodStore store = context.getBean(LastGoodStore.class);
				store.put("tenant-a:fingerprint", answer());

				Map<?, ?> stored = (Map<?, ?>) context.getBean(CacheManager.class)
					.getCache("ai-fallback-last-good")
					.getNativeCache();
				assertThat(stored).hasSize(1);
				assertThat(stored.keySet()).singleElement().asString().matches("[0-9a-f]{64}").doesNotContain("tenant");
				assertThat(stored.values()).singleElement().isInstanceOf(String.class).asString().matches("[0-9a-f]{64}\\.\\{.*");
				assertThat(store.get("tenant-a:fingerprint").generations().get(0).text()).isEqualTo("an answer");
				assertThat(store.get("tenant-b:fingerprint")).isNull();
			});
	}

	@Test
	void whenABeanNamedAiFallbackClockExistsThenTheStoreReadsAnswersAgesByIt() {
		this.runner.withBean(FallbackAutoConfiguration.CLOCK_BEAN_NAME, Clock.class,
				() -> Clock.fixed(STORED_AT.plus(Duration.ofMinutes(30)), ZoneOffset.UTC))
			.run((context) -> {
				LastGoodStore store = context.getBean(LastGoodStore.class);
				store.put("key", answerStoredAt(STORED_AT));

				assertThat(store.get("key")).as("30 minutes old by that clock, within the 1h ttl").isNotNull();
			});
	}

	@Test
	void whenAClockBeanHasAnotherNameThenTheStoreReadsTheSystemClock() {
		this.runner.withBean("someClock", Clock.class,
				() -> Clock.fixed(STORED_AT.plus(Duration.ofMinutes(30)), ZoneOffset.UTC))
			.run((context) -> {
				LastGoodStore store = context.getBean(LastGoodStore.class);
				store.put("key", answerStoredAt(STORED_AT));

				assertThat(store.get("key")).as("years old by the system clock").isNull();
			});
	}

	private static LastGoodAnswer answerStoredAt(Instant storedAt) {
		return new LastGoodAnswer(List.of(new LastGoodAnswer.StoredGeneration("an answer", "stop")), null, null, null,
				null, null, "primary", storedAt);
	}

	@Test
	void whenTheSecretIsShorterThan32BytesThenStartUpFailsNamingTheProperty() {
		this.runner.withPropertyValues("ai.fallback.cache.use-cache-manager=true",
				"ai.fallback.cache.key-secret=short-secret-value")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidFallbackConfigurationException.class)
					.hasMessageContaining("ai.fallback.cache.key-secret")
					.hasMessageNotContaining("short-secret-value");
			});
	}

	@Test
	void whenNoSecretIsSetForASharedCacheThenStartUpFailsNamingTheProperty() {
		this.runner.withPropertyValues("ai.fallback.cache.use-cache-manager=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Property: ai.fallback.cache.key-secret")
					.contains("must be signed");
				assertThat(analysis.getAction()).contains("ai.fallback.cache.use-cache-manager=false");
			});
	}

	@Test
	void whenTheApplicationsCacheIsADecoratorThenStartUpRefusesItAndSaysWhy() {
		this.bare.withUserConfiguration(DecoratingCacheManagerConfiguration.class)
			.withPropertyValues("ai.fallback.cache.use-cache-manager=true", "ai.fallback.cache.key-secret=" + LONG_SECRET)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Property: ai.fallback.cache.use-cache-manager")
					.contains("deserialise");
				assertThat(analysis.getAction()).contains("RedisCache itself");
			});
	}

	@Test
	void whenTheApplicationsCacheStoresByValueThenStartUpRefusesIt() {
		this.bare.withUserConfiguration(StoreByValueCacheManagerConfiguration.class)
			.withPropertyValues("ai.fallback.cache.use-cache-manager=true", "ai.fallback.cache.key-secret=" + LONG_SECRET)
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidFallbackConfigurationException.class)
				.hasMessageContaining("ai.fallback.cache.use-cache-manager"));
	}

	@Test
	void whenTheSecretIsSetThenItNeverAppearsInTheOutput(CapturedOutput output) {
		this.runner.withPropertyValues("ai.fallback.cache.use-cache-manager=true",
				"ai.fallback.cache.key-secret=" + LONG_SECRET)
			.run((context) -> assertThat(context).hasNotFailed());

		assertThat(output).doesNotContain(LONG_SECRET);
	}

	@Test
	void whenTheMaxWeightIsZeroThenStartUpFailsNamingTheProperty() {
		this.runner.withPropertyValues("ai.fallback.cache.max-weight=0B")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidFallbackConfigurationException.class)
				.hasMessageContaining("ai.fallback.cache.max-weight"));
	}

	@Configuration(proxyBeanMethods = false)
	static class CacheManagerConfiguration {

		@Bean
		CacheManager cacheManager() {
			return new ConcurrentMapCacheManager();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DecoratingCacheManagerConfiguration {

		/** A decorator as metrics or tracing libraries add: it forwards get() to the cache it wraps. */
		@Bean
		CacheManager cacheManager() {
			ConcurrentMapCacheManager target = new ConcurrentMapCacheManager();
			return new CacheManager() {

				@Override
				public org.springframework.cache.Cache getCache(String name) {
					org.springframework.cache.Cache cache = target.getCache(name);
					return new org.springframework.cache.support.AbstractValueAdaptingCache(true) {

						@Override
						public String getName() {
							return cache.getName();
						}

						@Override
						public Object getNativeCache() {
							return cache;
						}

						@Override
						protected Object lookup(Object key) {
							org.springframework.cache.Cache.ValueWrapper value = cache.get(key);
							return (value != null) ? value.get() : null;
						}

						@Override
						public <T> T get(Object key, java.util.concurrent.Callable<T> valueLoader) {
							return cache.get(key, valueLoader);
						}

						@Override
						public void put(Object key, Object value) {
							cache.put(key, value);
						}

						@Override
						public void evict(Object key) {
							cache.evict(key);
						}

						@Override
						public void clear() {
							cache.clear();
						}

					};
				}

				@Override
				public java.util.Collection<String> getCacheNames() {
					return target.getCacheNames();
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StoreByValueCacheManagerConfiguration {

		@Bean
		CacheManager cacheManager() {
			ConcurrentMapCacheManager manager = new ConcurrentMapCacheManager();
			manager.setStoreByValue(true);
			return manager;
		}

	}

}

package io.github.aifallback.autoconfigure;

import io.github.aifallback.chat.fleet.SharedLastGoodStore;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.lastgood.LastGoodStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration: when it applies, when it backs off, and how each kind of invalid
 * configuration fails start-up.
 */
class FallbackAutoConfigurationTests {

	private static final String SECRET = "canary-secret-0123456789";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withPropertyValues("spring.ai.openai.api-key=" + SECRET);

	@Test
	void whenAChainIsConfiguredThenAResilientChatClientIsCreated() {
		this.runner
			.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.chain[0].name=primary",
					"ai.fallback.chain[1].model=model-b")
			.run((context) -> {
				assertThat(context).hasSingleBean(ResilientChatClient.class);
				assertThat(context.getBean(ResilientChatClient.class).getEntries()).extracting(ChainEntry::name)
					.containsExactly("primary", "model-b");
			});
	}

	@Test
	void whenTheApplicationDefinesItsOwnClientThenTheAutoConfigurationBacksOff() {
		this.runner.withUserConfiguration(OwnClientConfiguration.class)
			.withPropertyValues("ai.fallback.chain[0].model=model-a")
			.run((context) -> assertThat(context).hasSingleBean(ResilientChatClient.class)
				.getBean(ResilientChatClient.class)
				.isSameAs(context.getBean(OwnClientConfiguration.class).client));
	}

	@Test
	void whenDisabledThenNoClientIsCreatedEvenWithAnInvalidChain() {
		this.runner.withPropertyValues("ai.fallback.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ResilientChatClient.class));
	}

	@Test
	void whenSpringAiOpenAiIsMissingThenTheAutoConfigurationBacksOff() {
		this.runner.withClassLoader(new FilteredClassLoader(org.springframework.ai.openai.OpenAiChatModel.class))
			.withPropertyValues("ai.fallback.chain[0].model=model-a")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ResilientChatClient.class));
	}

	@Test
	void whenCustomizersExistThenTheyAreAppliedInOrder() {
		this.runner.withUserConfiguration(CustomizerConfiguration.class)
			.withPropertyValues("ai.fallback.chain[0].model=model-a")
			.run((context) -> assertThat(context.getBean(ResilientChatClient.class).getEntries())
				.extracting(ChainEntry::name)
				.containsExactly("model-a", "first", "second"));
	}

	@Test
	void whenTheChainIsEmptyThenStartupFailsNamingTheChain() {
		this.runner.run((context) -> assertFailure(context, "ai.fallback.chain", "Add at least one model"));
	}

	@Test
	void whenAnEntryHasNoModelThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.chain[1].name=second")
			.run((context) -> assertFailure(context, "ai.fallback.chain[1].model", "Set ai.fallback.chain[1].model"));
	}

	@Test
	void whenNoApiKeyIsConfiguredAnywhereThenStartupFailsNamingTheEntry() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
			.withPropertyValues("ai.fallback.chain[0].model=model-a")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].api-key", "spring.ai.openai.api-key"));
	}

	@Test
	void whenADurationIsNotPositiveThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.deadline=0s")
			.run((context) -> assertFailure(context, "ai.fallback.deadline", "positive duration"));
	}

	@Test
	void whenAnEntryTimeoutIsNotPositiveThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.chain[0].timeout=-1s")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].timeout", "positive duration"));
	}

	@Test
	void whenTheAttemptTimeoutIsLongerThanTheDeadlineThenStartupFails() {
		this.runner
			.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.timeout=40s",
					"ai.fallback.deadline=30s")
			.run((context) -> assertFailure(context, "ai.fallback.timeout", "shorter than ai.fallback.deadline"));
	}

	@Test
	void whenAnEntryTimeoutIsLongerThanTheDeadlineThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.chain[0].timeout=1m")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].timeout", "raise the deadline"));
	}

	@Test
	void whenTheAttemptFloorLeavesNoRoomInTheDeadlineThenStartupFails() {
		this.runner
			.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.min-attempt-time=30s",
					"ai.fallback.deadline=30s", "ai.fallback.timeout=10s")
			.run((context) -> assertFailure(context, "ai.fallback.min-attempt-time", "well below ai.fallback.deadline"));
	}

	@Test
	void whenTheAttemptFloorIsSetThenTheClientUsesIt() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.min-attempt-time=120ms")
			.run((context) -> assertThat(context.getBean(ResilientChatClient.class).mutate().build())
				.extracting("runtime.minAttemptTime")
				.isEqualTo(java.time.Duration.ofMillis(120)));
	}

	@Test
	void whenMaxAttemptsIsBelowOneThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.retry.max-attempts=0")
			.run((context) -> assertFailure(context, "ai.fallback.retry.max-attempts", "to 1 or more"));
	}

	@Test
	void whenAnEntryMaxAttemptsIsBelowOneThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.chain[0].max-attempts=0")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].max-attempts", "to 1 or more"));
	}

	@Test
	void whenTwoEntriesShareANameThenStartupFails() {
		this.runner
			.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.chain[0].name=main",
					"ai.fallback.chain[1].model=model-b", "ai.fallback.chain[1].name=main")
			.run((context) -> assertFailure(context, "ai.fallback.chain[1].name", "distinct"));
	}

	@Test
	void whenTheSameModelIsListedTwiceWithoutNamesThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.chain[1].model=model-a")
			.run((context) -> assertFailure(context, "ai.fallback.chain[1].name", "named by their model"));
	}

	@Test
	void whenAnEntryNamesAnUnknownProviderThenStartupFailsListingTheKnownOnes() {
		this.runner
			.withPropertyValues("ai.fallback.providers.bridge.base-url=http://127.0.0.1:9/v1",
					"ai.fallback.chain[0].model=model-a", "ai.fallback.chain[0].provider=brigde")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].provider", "[bridge]"));
	}

	@Test
	void whenTheBaseUrlIsNotAnHttpUrlThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.chain[0].base-url=localhost")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].base-url", "https://api.openai.com/v1"));
	}

	@Test
	void whenTheMultiplierWouldShrinkWaitsThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.retry.multiplier=0.5")
			.run((context) -> assertFailure(context, "ai.fallback.retry.multiplier", "2.0"));
	}

	@Test
	void whenTheCacheIsOnByDefaultThenTheClientKeepsLastGoodAnswersInCaffeine() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a")
			.run((context) -> assertThat(context).getBean(LastGoodStore.class)
				.hasToString("CacheLastGoodStore[ai-fallback-last-good, ttl=PT1H]"));
	}

	@Test
	void whenTheCacheIsDisabledThenNoStoreExists() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.cache.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LastGoodStore.class));
	}

	@Test
	void whenTheApplicationCacheManagerIsAskedForButMissingThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.cache.use-cache-manager=true")
			.run((context) -> assertFailure(context, "ai.fallback.cache.use-cache-manager", "@EnableCaching"));
	}

	@Test
	void whenTheApplicationCacheManagerIsUsedThenAnswersGoToItsCache() {
		this.runner.withBean(CacheManager.class, () -> new ConcurrentMapCacheManager("answers"))
			.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.cache.use-cache-manager=true",
					"ai.fallback.cache.name=answers", "ai.fallback.cache.key-secret=a-shared-secret-of-at-least-32-bytes!")
			.run((context) -> assertThat(context).getBean(LastGoodStore.class)
				.hasToString("SharedLastGoodStore[cache 'answers', ttl=PT1H]"));
	}

	@Test
	void whenTheCacheMaxSizeIsBelowOneThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.cache.max-size=0")
			.run((context) -> assertFailure(context, "ai.fallback.cache.max-size", "1 or more"));
	}

	@Test
	void whenTheCacheTtlIsNotPositiveThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.cache.ttl=0s")
			.run((context) -> assertFailure(context, "ai.fallback.cache.ttl", "positive duration"));
	}

	@Test
	void whenCaffeineIsMissingThenStartupFailsSayingWhatToAdd() {
		this.runner.withClassLoader(new FilteredClassLoader("com.github.benmanes.caffeine"))
			.withPropertyValues("ai.fallback.chain[0].model=model-a")
			.run((context) -> assertFailure(context, "ai.fallback.cache.enabled", "com.github.ben-manes.caffeine"));
	}

	@Test
	void whenStreamingTimeoutsAreSetPerEntryThenTheEntryCarriesThem() {
		this.runner
			.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.chain[0].first-token-timeout=3s",
					"ai.fallback.chain[0].idle-timeout=2s", "ai.fallback.chain[1].model=model-b")
			.run((context) -> assertThat(context.getBean(ResilientChatClient.class).getEntries())
				.extracting(ChainEntry::firstTokenTimeout, ChainEntry::idleTimeout)
				.containsExactly(org.assertj.core.groups.Tuple.tuple(java.time.Duration.ofSeconds(3),
						java.time.Duration.ofSeconds(2)), org.assertj.core.groups.Tuple.tuple(null, null)));
	}

	@Test
	void whenAStreamingTimeoutIsLongerThanTheDeadlineThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.chain[0].idle-timeout=2m")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].idle-timeout", "raise the deadline"));
	}

	@Test
	void whenTheGlobalFirstTokenTimeoutIsNotPositiveThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.first-token-timeout=0s")
			.run((context) -> assertFailure(context, "ai.fallback.first-token-timeout", "positive duration"));
	}

	@Test
	void whenTheCircuitThresholdIsNegativeThenStartupFails() {
		this.runner
			.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.circuit-breaker.failure-threshold=-1")
			.run((context) -> assertFailure(context, "ai.fallback.circuit-breaker.failure-threshold",
					"to 0 (consecutive failures do not open the circuit) or more"));
	}

	@Test
	void whenTheMaxOpenDurationIsShorterThanTheFirstThenStartupFails() {
		this.runner
			.withPropertyValues("ai.fallback.chain[0].model=model-a", "ai.fallback.circuit-breaker.open-duration=1m",
					"ai.fallback.circuit-breaker.max-open-duration=30s")
			.run((context) -> assertFailure(context, "ai.fallback.circuit-breaker.max-open-duration", "at least"));
	}

	private static void assertFailure(AssertableApplicationContext context, String property, String fix) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis").isNotNull();
		assertThat(analysis.getDescription()).contains("Property: " + property).doesNotContain(SECRET);
		assertThat(analysis.getAction()).contains(fix).doesNotContain(SECRET);
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnClientConfiguration {

		final ResilientChatClient client = ResilientChatClient.builder()
			.entry(ChainEntry.of("mine", "my-model", (prompt, timeout) -> null))
			.build();

		@Bean
		ResilientChatClient myClient() {
			return this.client;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		@Bean
		@org.springframework.core.annotation.Order(2)
		ResilientChatClientCustomizer second() {
			return (builder) -> builder.entry(ChainEntry.of("second", "m2", (prompt, timeout) -> null));
		}

		@Bean
		@org.springframework.core.annotation.Order(1)
		ResilientChatClientCustomizer first() {
			return (builder) -> builder.entry(ChainEntry.of("first", "m1", (prompt, timeout) -> null));
		}

	}

}

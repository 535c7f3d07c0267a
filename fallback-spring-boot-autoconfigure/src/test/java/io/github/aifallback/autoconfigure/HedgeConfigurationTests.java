package io.github.aifallback.autoconfigure;

import java.time.Duration;

import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.HedgeSettings;
import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ai.fallback.chain[i].hedge.*}, {@code ai.fallback.entries.<name>.hedge.*} and
 * {@code ai.fallback.hedge.*} bind to the entries' hedging and the client's budget; invalid
 * values fail at start-up naming the property.
 */
class HedgeConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withPropertyValues("ai.fallback.warm-up=false", "spring.ai.openai.base-url=http://127.0.0.1:9/v1",
				"spring.ai.openai.api-key=k", "ai.fallback.chain[0].model=model-a",
				"ai.fallback.chain[0].name=primary", "ai.fallback.chain[1].model=model-b",
				"ai.fallback.chain[1].name=secondary");

	@Test
	void whenNoHedgeIsConfiguredThenNoEntryIsHedged() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ResilientChatClient.class).getEntries()).extracting(ChainEntry::hedge)
				.containsOnlyNulls();
		});
	}

	@Test
	void whenAnEntrySetsAHedgeDelayThenItIsHedgedAfterIt() {
		this.runner
			.withPropertyValues("ai.fallback.chain[0].hedge.delay=300ms",
					"ai.fallback.entries.secondary.hedge.delay=1s",
					"ai.fallback.entries.secondary.hedge.use-observed-p95=true", "ai.fallback.hedge.budget=0.05",
					"ai.fallback.hedge.min-per-second=0")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				var entries = context.getBean(ResilientChatClient.class).getEntries();
				assertThat(entries.get(0).hedge()).isEqualTo(HedgeSettings.after(Duration.ofMillis(300)));
				assertThat(entries.get(1).hedge()).isEqualTo(HedgeSettings.afterObservedP95(Duration.ofSeconds(1)));
				assertThat(context.getBean(ResilientChatClient.class).mutate()).isNotNull();
			});
	}

	@Test
	void whenTheHedgeDelayIsNotPositiveThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("ai.fallback.chain[0].hedge.delay=0s")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].hedge.delay"));
	}

	@Test
	void whenTheHedgeDelayIsLongerThanTheDeadlineThenStartupFailsNamingTheOverride() {
		this.runner.withPropertyValues("ai.fallback.entries.primary.hedge.delay=10m")
			.run((context) -> assertFailure(context, "ai.fallback.entries.primary.hedge.delay"));
	}

	@Test
	void whenTheObservedP95HasNoDelayThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("ai.fallback.chain[1].hedge.use-observed-p95=true")
			.run((context) -> assertFailure(context, "ai.fallback.chain[1].hedge.use-observed-p95"));
	}

	@Test
	void whenTheHedgeBudgetIsOutOfRangeThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("ai.fallback.hedge.budget=1.5")
			.run((context) -> assertFailure(context, "ai.fallback.hedge.budget"));
	}

	@Test
	void whenTheHedgesPerSecondAreNegativeThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("ai.fallback.hedge.min-per-second=-1")
			.run((context) -> assertFailure(context, "ai.fallback.hedge.min-per-second"));
	}

	private static FailureAnalysis assertFailure(AssertableApplicationContext context, String property) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis").isNotNull();
		assertThat(analysis.getDescription()).contains("Property: " + property);
		return analysis;
	}

}

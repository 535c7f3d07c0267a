package io.github.aifallback.actuate;

import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.autoconfigure.ResilientChatClientCustomizer;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ai.fallback.retries.denied}: the retries an entry's budget refused, counted per
 * entry, with the budget configured through {@code ai.fallback.retry.budget.*}. The fake
 * chain's clock stands still, so every call falls in one window.
 */
class RetryBudgetMetricsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class,
				FallbackMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
		.withBean(FakeChain.class, () -> new FakeChain("primary", "secondary"))
		// The circuit stays closed: this is about the retry budget, not the breaker's window.
		.withBean("closedCircuits", ResilientChatClientCustomizer.class, () -> (builder) -> builder.circuitBreaker(
				CircuitBreakerSettings.custom()
					.failureThreshold(100)
					.slidingWindow(CircuitBreakerSettings.SlidingWindowType.COUNT_BASED, 100)
					.minimumNumberOfCalls(100)
					.build()))
		.withPropertyValues("spring.ai.openai.api-key=k", "ai.fallback.chain[0].model=configured",
				"ai.fallback.retry.max-attempts=3", "ai.fallback.circuit-breaker.minimum-number-of-calls=1000",
				// A floor of 2 retries per 10 s window; 20% of 10 calls is 2 as well.
				"ai.fallback.retry.budget.min-retries-per-second=0.2");

	@Test
	void whenTheBudgetIsSpentThenEachDeniedRetryIsCountedForItsEntry() {
		this.runner.run((context) -> {
			FakeChain chain = context.getBean(FakeChain.class);
			chain.model("primary").failing = FailureKind.SERVER_ERROR;

			for (int i = 0; i < 10; i++) {
				context.getBean(ResilientChatClient.class).call(new Prompt("q" + i));
			}

			// 10 first attempts and the 2 retries of the first call; calls 2 to 10 are denied.
			assertThat(chain.model("primary").calls).hasValue(12);
			assertThat(chain.model("secondary").calls).hasValue(10);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get(FallbackMetricsListener.RETRIES_DENIED).tag("entry", "primary").counter().count())
				.isEqualTo(9);
			assertThat(registry.get(FallbackMetricsListener.RETRIES_DENIED).counters()).hasSize(1);
		});
	}

	@Test
	void whenTheBudgetIsOffThenEveryRetryIsMadeAndNoneIsCounted() {
		this.runner.withPropertyValues("ai.fallback.retry.budget.enabled=false").run((context) -> {
			FakeChain chain = context.getBean(FakeChain.class);
			chain.model("primary").failing = FailureKind.SERVER_ERROR;

			for (int i = 0; i < 10; i++) {
				context.getBean(ResilientChatClient.class).call(new Prompt("q" + i));
			}

			assertThat(chain.model("primary").calls).hasValue(30);
			assertThat(context.getBean(MeterRegistry.class).find(FallbackMetricsListener.RETRIES_DENIED).counters())
				.isEmpty();
		});
	}

}

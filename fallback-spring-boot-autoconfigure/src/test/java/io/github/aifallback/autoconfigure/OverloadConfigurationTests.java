package io.github.aifallback.autoconfigure;

import java.time.Duration;

import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failure state machine's properties (issue 19): {@code ai.fallback.circuit-breaker.*}
 * with the window, rates, half-open calls and slow start, per entry over the chain's;
 * {@code ai.fallback.panic.*}, {@code ai.fallback.bulkhead.*}, an entry's
 * {@code max-concurrent-calls} and {@code ai.fallback.fallback-floor}. Invalid values fail at
 * start-up naming the property and the fix.
 */
class OverloadConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withPropertyValues("ai.fallback.warm-up=false", "spring.ai.openai.base-url=http://127.0.0.1:9/v1",
				"spring.ai.openai.api-key=k", "ai.fallback.chain[0].model=model-a",
				"ai.fallback.chain[0].name=primary", "ai.fallback.chain[1].model=model-b",
				"ai.fallback.chain[1].name=secondary");

	@Test
	void whenNothingIsSetThenEveryCircuitRunsOnTheDefaultsAndNoEntryHasAConcurrencyLimit() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			ResilientChatClient client = context.getBean(ResilientChatClient.class);
			assertThat(client.circuitBreaker("primary").settings()).isEqualTo(CircuitBreakerSettings.DEFAULTS);
			assertThat(CircuitBreakerSettings.DEFAULTS.failureThreshold()).as("consecutive failures are off").isZero();
			assertThat(client.inFlight("primary")).isEqualTo(-1);
			assertThat(client.inPanic()).isFalse();
		});
	}

	@Test
	void whenTheWindowAndRatesAreSetThenTheyReachEveryCircuitAndAnEntryOverridesThem() {
		this.runner
			.withPropertyValues("ai.fallback.circuit-breaker.sliding-window-type=time-based",
					"ai.fallback.circuit-breaker.sliding-window-size=60",
					"ai.fallback.circuit-breaker.minimum-number-of-calls=25",
					"ai.fallback.circuit-breaker.failure-rate-threshold=40",
					"ai.fallback.circuit-breaker.slow-call-rate-threshold=80",
					"ai.fallback.circuit-breaker.slow-call-duration-threshold=4s",
					"ai.fallback.circuit-breaker.permitted-number-of-calls-in-half-open-state=5",
					"ai.fallback.circuit-breaker.slow-start=1m", "ai.fallback.circuit-breaker.failure-threshold=7",
					"ai.fallback.entries.secondary.circuit-breaker.failure-rate-threshold=90",
					"ai.fallback.entries.secondary.circuit-breaker.slow-start=0s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ResilientChatClient client = context.getBean(ResilientChatClient.class);
				CircuitBreakerSettings primary = client.circuitBreaker("primary").settings();
				assertThat(primary).isEqualTo(CircuitBreakerSettings.custom()
					.slidingWindow(CircuitBreakerSettings.SlidingWindowType.TIME_BASED, 60)
					.minimumNumberOfCalls(25)
					.failureRateThreshold(40)
					.slowCallRateThreshold(80)
					.slowCallDurationThreshold(Duration.ofSeconds(4))
					.permittedNumberOfCallsInHalfOpenState(5)
					.slowStart(Duration.ofMinutes(1))
					.failureThreshold(7)
					.build());
				assertThat(client.circuitBreaker("secondary").settings())
					.isEqualTo(CircuitBreakerSettings.from(primary).failureRateThreshold(90).slowStart(Duration.ZERO).build());
			});
	}

	@Test
	void whenABulkheadIsSetThenEveryEntryHasItAndAnEntryMayOverrideIt() {
		this.runner
			.withPropertyValues("ai.fallback.bulkhead.max-concurrent-calls=16",
					"ai.fallback.bulkhead.max-wait-duration=20ms", "ai.fallback.chain[1].max-concurrent-calls=0")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ResilientChatClient client = context.getBean(ResilientChatClient.class);
				assertThat(client.inFlight("primary")).as("limited, nothing in flight").isZero();
				assertThat(client.inFlight("secondary")).as("0: no limit").isEqualTo(-1);
			});
	}

	@Test
	void whenTheFailureRateIsNotAPercentageThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("ai.fallback.circuit-breaker.failure-rate-threshold=0")
			.run((context) -> assertThat(assertFailure(context, "ai.fallback.circuit-breaker.failure-rate-threshold")
				.getAction()).contains("above 0 and at most 100"));
	}

	@Test
	void whenAnEntrysSlowCallRateIsNotAPercentageThenStartupFailsNamingTheOverride() {
		this.runner.withPropertyValues("ai.fallback.entries.primary.circuit-breaker.slow-call-rate-threshold=150")
			.run((context) -> assertFailure(context,
					"ai.fallback.entries.primary.circuit-breaker.slow-call-rate-threshold"));
	}

	@Test
	void whenTheHalfOpenCallsAreZeroThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("ai.fallback.circuit-breaker.permitted-number-of-calls-in-half-open-state=0")
			.run((context) -> assertFailure(context,
					"ai.fallback.circuit-breaker.permitted-number-of-calls-in-half-open-state"));
	}

	@Test
	void whenThePanicThresholdIsOutOfRangeThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("ai.fallback.panic.threshold=120")
			.run((context) -> assertFailure(context, "ai.fallback.panic.threshold"));
	}

	@Test
	void whenTheConcurrencyLimitIsNegativeThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("ai.fallback.entries.secondary.max-concurrent-calls=-1")
			.run((context) -> assertFailure(context, "ai.fallback.entries.secondary.max-concurrent-calls"));
	}

	@Test
	void whenTheFallbackFloorIsNotShorterThanTheDeadlineThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("ai.fallback.fallback-floor=30s")
			.run((context) -> assertThat(assertFailure(context, "ai.fallback.fallback-floor").getAction())
				.contains("below ai.fallback.deadline"));
	}

	private static FailureAnalysis assertFailure(AssertableApplicationContext context, String property) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis").isNotNull();
		assertThat(analysis.getDescription()).contains("Property: " + property);
		return analysis;
	}

}

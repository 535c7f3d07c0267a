package io.github.aifallback.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.circuit.CircuitState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ai.fallback.entries.<name>.*} and {@code ai.fallback.defaults.*} change chain
 * entries by name, so that one environment variable changes one entry and leaves the list
 * (bound from one source) intact.
 */
class EntryOverridesConfigurationTests {

	private static final String SECRET = "canary-secret-0a9b8c7d6e";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withPropertyValues("ai.fallback.warm-up=false", "spring.ai.openai.base-url=http://127.0.0.1:9/v1",
				"spring.ai.openai.api-key=" + SECRET, "ai.fallback.chain[0].model=model-a",
				"ai.fallback.chain[0].name=primary", "ai.fallback.chain[0].timeout=5s",
				"ai.fallback.chain[1].model=model-b", "ai.fallback.chain[1].name=secondary",
				"ai.fallback.chain[2].model=model-c");

	@Test
	void whenAnEnvironmentVariableOverridesAnEntryByNameThenOnlyThatEntryChangesAndTheChainStaysIntact() {
		this.runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
					Map.of("AI_FALLBACK_ENTRIES_PRIMARY_TIMEOUT", "20s", "AI_FALLBACK_ENTRIES_SECONDARY_MAXATTEMPTS",
							"1"))))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				var entries = context.getBean(ResilientChatClient.class).getEntries();
				assertThat(entries).extracting(ChainEntry::name).containsExactly("primary", "secondary", "model-c");
				assertThat(entries).extracting(ChainEntry::model).containsExactly("model-a", "model-b", "model-c");
				assertThat(entries.get(0).timeout()).isEqualTo(Duration.ofSeconds(20));
				assertThat(entries.get(1).maxAttempts()).isEqualTo(1);
				assertThat(entries.get(1).timeout()).isNull();
				assertThat(entries.get(2).timeout()).isNull();
				assertThat(entries.get(2).maxAttempts()).isNull();
			});
	}

	@Test
	void whenOverridesAndDefaultsAreSetThenTheOverrideWinsThenTheEntryThenTheDefaults() {
		this.runner
			.withPropertyValues("ai.fallback.defaults.timeout=3s", "ai.fallback.defaults.max-attempts=2",
					"ai.fallback.entries.secondary.timeout=7s")
			.run((context) -> {
				var entries = context.getBean(ResilientChatClient.class).getEntries();
				assertThat(entries).extracting(ChainEntry::timeout)
					.containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(7), Duration.ofSeconds(3));
				assertThat(entries).extracting(ChainEntry::maxAttempts).containsExactly(2, 2, 2);
			});
	}

	@Test
	void whenAnOverrideNamesNoEntryThenStartupFailsNamingThePropertyAndListingTheEntries() {
		this.runner.withPropertyValues("ai.fallback.entries.primray.timeout=20s")
			.run((context) -> {
				FailureAnalysis analysis = assertFailure(context, "ai.fallback.entries.primray");
				assertThat(analysis.getDescription()).contains("[primary, secondary, model-c]");
			});
	}

	@Test
	void whenAnEnvironmentVariableNamesAnEntryWithDashesThenItMatchesLoosely() {
		this.runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
					Map.of("AI_FALLBACK_ENTRIES_MODELC_TIMEOUT", "9s"))))
			.run((context) -> assertThat(context.getBean(ResilientChatClient.class).getEntries().get(2).timeout())
				.isEqualTo(Duration.ofSeconds(9)));
	}

	@Test
	void whenAnEntryIsDisabledByAnOverrideThenItIsLeftOutOfTheChain() {
		this.runner.withPropertyValues("ai.fallback.entries.secondary.enabled=false")
			.run((context) -> assertThat(context.getBean(ResilientChatClient.class).getEntries())
				.extracting(ChainEntry::name)
				.containsExactly("primary", "model-c"));
	}

	@Test
	void whenEveryEntryIsDisabledThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.defaults.enabled=false")
			.run((context) -> assertFailure(context, "ai.fallback.chain"));
	}

	@Test
	void whenAnEntrySetsItsOwnCircuitBreakerThenOnlyItsBreakerUsesIt() {
		this.runner.withPropertyValues("ai.fallback.entries.primary.circuit-breaker.failure-threshold=1")
			.run((context) -> {
				ResilientChatClient client = context.getBean(ResilientChatClient.class);
				assertThat(client.getEntries().get(0).circuitBreaker().failureThreshold()).isEqualTo(1);
				assertThat(client.getEntries().get(0).circuitBreaker().openDuration())
					.isEqualTo(Duration.ofSeconds(30));
				assertThat(client.getEntries().get(1).circuitBreaker()).isNull();
				failOnce(client.circuitBreaker("primary"));
				failOnce(client.circuitBreaker("secondary"));
				assertThat(client.circuitBreaker("primary").state()).isEqualTo(CircuitState.OPEN);
				assertThat(client.circuitBreaker("secondary").state()).isEqualTo(CircuitState.CLOSED);
			});
	}

	@Test
	void whenAnEntryCircuitBreakerIsInvalidThenStartupFailsNamingTheOverride() {
		this.runner.withPropertyValues("ai.fallback.entries.primary.circuit-breaker.open-duration=10m")
			.run((context) -> assertFailure(context, "ai.fallback.entries.primary.circuit-breaker.open-duration"));
	}

	@Test
	void whenAnEntrySetsAPolicyThenItIsMergedOverTheChainPolicy() {
		this.runner
			.withPropertyValues("ai.fallback.policy.auth=stop", "ai.fallback.entries.primary.policy.bad-request=stop")
			.run((context) -> {
				var entries = context.getBean(ResilientChatClient.class).getEntries();
				assertThat(entries.get(0).policy().actionFor(FailureKind.BAD_REQUEST)).isEqualTo(FailureAction.STOP);
				assertThat(entries.get(0).policy().actionFor(FailureKind.AUTH)).isEqualTo(FailureAction.STOP);
				assertThat(entries.get(1).policy()).isNull();
			});
	}

	@Test
	void whenAnOverrideTimeoutExceedsTheDeadlineThenStartupFailsNamingTheOverride() {
		this.runner.withPropertyValues("ai.fallback.entries.primary.timeout=1m")
			.run((context) -> assertFailure(context, "ai.fallback.entries.primary.timeout"));
	}

	@Test
	void whenAnOverrideSetsAKeyWithoutAUrlThenStartupFailsInsteadOfSendingItToAnotherSourcesUrl() {
		this.runner
			.withPropertyValues("ai.fallback.chain[0].base-url=http://127.0.0.1:10/v1",
					"ai.fallback.chain[0].api-key=other", "ai.fallback.entries.primary.api-key=" + SECRET)
			.run((context) -> assertFailure(context, "ai.fallback.entries.primary.base-url"));
	}

	@Test
	void whenAnOverrideHeaderIsEmptyThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("ai.fallback.entries.primary.headers.x-token=")
			.run((context) -> assertFailure(context, "ai.fallback.entries.primary.headers.x-token"));
	}

	private static void failOnce(CircuitBreaker breaker) {
		breaker.recordFailure(Failure.of(FailureKind.SERVER_ERROR), breaker.acquire());
	}

	private static FailureAnalysis assertFailure(AssertableApplicationContext context, String property) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis").isNotNull();
		assertThat(analysis.getDescription()).contains("Property: " + property).doesNotContain(SECRET);
		assertThat(analysis.getAction()).doesNotContain(SECRET);
		return analysis;
	}

}

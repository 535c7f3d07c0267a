package io.github.aifallback.autoconfigure;

import io.github.aifallback.chat.fleet.FleetInternals;
import io.github.aifallback.chat.fleet.RedisFleetCircuitState;
import io.github.aifallback.chat.fleet.FleetLink;
import io.github.aifallback.chat.circuit.SharedCircuitState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mockito;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the fleet's shared circuit state exists, and how start-up fails without Redis.
 */
@ExtendWith(OutputCaptureExtension.class)
class FleetConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withPropertyValues("spring.ai.openai.api-key=test-key", "ai.fallback.chain[0].model=model-a",
				"ai.fallback.fleet.secret=" + SECRET);

	private static final String SECRET = "a-fleet-secret-of-at-least-32-bytes!!";

	@Test
	void whenTheFleetIsNotEnabledThenNoSharedCircuitStateExists() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SharedCircuitState.class));
	}

	@Test
	void whenTheFleetIsEnabledWithoutARedisConnectionFactoryThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("ai.fallback.fleet.enabled=true")
			.run((context) -> assertFailure(context, "RedisConnectionFactory"));
	}

	@Test
	void whenTheFleetIsEnabledWithoutSpringDataRedisThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("ai.fallback.fleet.enabled=true")
			.withClassLoader(new FilteredClassLoader(RedisConnectionFactory.class))
			.run((context) -> assertFailure(context, "Spring Data Redis"));
	}

	@Test
	void whenTheFleetTimeoutIsNotPositiveThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("ai.fallback.fleet.enabled=true", "ai.fallback.fleet.timeout=0ms")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Property: ai.fallback.fleet.timeout");
			});
	}

	@Test
	void whenTheFleetRetryBudgetIsOnThenEachEntrysBudgetIsTheFleets() {
		this.runner
			.withBean(RedisConnectionFactory.class, () -> Mockito.mock(RedisConnectionFactory.class))
			.withPropertyValues("ai.fallback.fleet.enabled=true", "ai.fallback.fleet.retry-budget=true")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(FleetLink.class);
				RedisFleetCircuitState fleet = context.getBean(RedisFleetCircuitState.class);
				assertThat(fleet.retryBudgets()).isNotNull();
				assertThat(FleetInternals.hasRetryBudget(fleet, "model-a")).isTrue();
			});
	}

	@Test
	void whenOnlyTheFleetIsOnThenRetryBudgetsStayLocal() {
		this.runner
			.withBean(RedisConnectionFactory.class, () -> Mockito.mock(RedisConnectionFactory.class))
			.withPropertyValues("ai.fallback.fleet.enabled=true")
			.run((context) -> assertThat(context.getBean(RedisFleetCircuitState.class).retryBudgets()).isNull());
	}

	@Test
	void whenTheFleetIsEnabledWithoutASecretThenStartupFailsNamingTheProperty() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
			.withPropertyValues("spring.ai.openai.api-key=test-key", "ai.fallback.chain[0].model=model-a",
					"ai.fallback.fleet.enabled=true")
			.withBean(RedisConnectionFactory.class, () -> Mockito.mock(RedisConnectionFactory.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Property: ai.fallback.fleet.secret")
					.contains("must be signed");
				assertThat(analysis.getAction()).contains("ai.fallback.fleet.enabled=false");
			});
	}

	@Test
	void whenTheFleetSecretIsShortThenStartupFailsWithoutEchoingIt() {
		this.runner.withBean(RedisConnectionFactory.class, () -> Mockito.mock(RedisConnectionFactory.class))
			.withPropertyValues("ai.fallback.fleet.enabled=true", "ai.fallback.fleet.secret=too-short-a-secret")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("ai.fallback.fleet.secret")
				.hasMessageNotContaining("too-short-a-secret"));
	}

	@Test
	void whenNoKeyPrefixIsSetThenTheApplicationsNameSeparatesItsKeys() {
		FleetProperties fleet = new FleetProperties();
		MockEnvironment environment = new MockEnvironment().withProperty("spring.application.name", "billing");

		assertThat(FleetConfiguration.RedisFleet.keyPrefix(fleet, environment)).isEqualTo("ai-fallback:billing:fleet:");
		fleet.setKeyPrefix("mine:");
		assertThat(FleetConfiguration.RedisFleet.keyPrefix(fleet, environment)).isEqualTo("mine:");
	}

	@Test
	void whenNeitherKeyPrefixNorApplicationNameIsSetThenStartUpWarns(CapturedOutput output) {
		assertThat(FleetConfiguration.RedisFleet.keyPrefix(new FleetProperties(), new MockEnvironment()))
			.isEqualTo("ai-fallback:fleet:");
		assertThat(output).contains("neither ai.fallback.fleet.key-prefix nor spring.application.name is set");
	}

	private static void assertFailure(AssertableApplicationContext context, String problem) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis").isNotNull();
		assertThat(analysis.getDescription()).contains("Property: ai.fallback.fleet.enabled").contains(problem);
		assertThat(analysis.getAction()).contains("ai.fallback.fleet.enabled=false");
	}

}

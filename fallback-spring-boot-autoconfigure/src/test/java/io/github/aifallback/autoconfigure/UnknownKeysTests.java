package io.github.aifallback.autoconfigure;

import java.util.Map;

import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Issue 22, item 2: a key under {@code ai.fallback} that binds to nothing fails start-up,
 * from any source (a YAML file, an environment variable, a system property or any other),
 * naming the key, its origin and the nearest valid key.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnknownKeysTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withPropertyValues("ai.fallback.warm-up=false", "ai.fallback.chain[0].model=model-a",
				"ai.fallback.chain[0].name=primary-eu", "ai.fallback.chain[0].base-url=http://127.0.0.1:9/v1",
				"ai.fallback.chain[0].api-key=none", "ai.fallback.chain[1].model=model-b",
				"ai.fallback.chain[1].base-url=http://127.0.0.1:9/v1", "ai.fallback.chain[1].api-key=none");

	@Test
	void whenAYamlFileHasATypoThenStartUpFailsNamingTheKeyItsFileAndLineAndTheNearestKey(CapturedOutput output) {
		SpringApplication application = new SpringApplication(Application.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException()
			.isThrownBy(() -> application.run("--spring.config.location=classpath:unknown-keys-test.yml"));
		assertThat(output).contains("Property: ai.fallback.entries.primary.timout")
			.contains("Origin:   class path resource [unknown-keys-test.yml] - 11:17")
			.contains("did you mean ai.fallback.entries.primary.timeout?");
	}

	@Test
	void whenAnEnvironmentVariableIsMisspeltThenStartUpFailsNamingTheVariableAndTheOneToSet(CapturedOutput output) {
		SpringApplication application = new SpringApplication(Application.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setEnvironment(environment(Map.of("AI_FALLBACK_ENTRIES_PRIMARY_TIMOUT", "1ms")));
		assertThatException()
			.isThrownBy(() -> application.run("--spring.config.location=classpath:unknown-keys-test-valid.yml"));
		assertThat(output).contains("Property: ai.fallback.entries.primary.timout")
			.contains("AI_FALLBACK_ENTRIES_PRIMARY_TIMOUT")
			.contains("did you mean AI_FALLBACK_ENTRIES_PRIMARY_TIMEOUT?");
	}

	@Test
	void whenAnEnvironmentVariableSplitsAnEntryNameWithADashThenStartUpFailsSayingHowToSpellIt() {
		this.runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("AI_FALLBACK_ENTRIES_PRIMARY_EU_ENABLED", "false"))))
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("Property: ai.fallback.entries.primary.eu.enabled")
				.contains("did you mean AI_FALLBACK_ENTRIES_PRIMARYEU_ENABLED?"));
	}

	@Test
	void whenAnEnvironmentVariableSpellsTheEntryNameWithoutItsDashThenItDisablesTheEntry() {
		this.runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("AI_FALLBACK_ENTRIES_PRIMARYEU_ENABLED", "false"))))
			.run((context) -> assertThat(context.getBean(ResilientChatClient.class).getEntries())
				.extracting((entry) -> entry.name())
				.containsExactly("model-b"));
	}

	@Test
	void whenAnEnvironmentVariableSpellsAPropertyWithItsDashThenStartUpFailsNamingTheVariableToSet() {
		this.runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("AI_FALLBACK_RETRY_MAX_ATTEMPTS", "2"))))
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("Property: ai.fallback.retry.max.attempts")
				.contains("did you mean AI_FALLBACK_RETRY_MAXATTEMPTS?"));
	}

	@Test
	void whenATopLevelKeyIsMisspeltThenStartUpFailsNamingTheNearestKey() {
		this.runner.withPropertyValues("ai.fallback.retry.max-atempts=2")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("Property: ai.fallback.retry.max-atempts")
				.contains("did you mean ai.fallback.retry.max-attempts?"));
	}

	@Test
	void whenAChainEntryKeyIsMisspeltThenTheSuggestionKeepsItsIndex() {
		this.runner.withPropertyValues("ai.fallback.chain[1].timout=2s")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("Property: ai.fallback.chain[1].timout")
				.contains("did you mean ai.fallback.chain[1].timeout?"));
	}

	@Test
	void whenAProviderKeyIsMisspeltThenStartUpFails() {
		this.runner.withPropertyValues("ai.fallback.providers.bridge.base-url=http://127.0.0.1:9/v1",
				"ai.fallback.providers.bridge.api-kee=x")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("Property: ai.fallback.providers.bridge.api-kee")
				.contains("did you mean ai.fallback.providers.bridge.api-key?"));
	}

	@Test
	void whenAKeyIsNothingLikeAnyPropertyThenStartUpFailsWithoutAGuess() {
		this.runner.withPropertyValues("ai.fallback.zzzzzzzzzz=1")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("Property: ai.fallback.zzzzzzzzzz")
				.doesNotContain("did you mean"));
	}

	@Test
	void whenEveryKindOfValidKeyIsSetThenStartUpSucceeds() {
		this.runner
			.withPropertyValues("ai.fallback.entries.primary-eu.timeout=3s", "ai.fallback.entries.primary-eu.headers.X-A=b",
					"ai.fallback.chain[1].policy.server-error=fall-back", "ai.fallback.chain[1].capabilities=tools,vision",
					"ai.fallback.chain[1].capabilities[0]=tools", "ai.fallback.defaults.circuit-breaker.open-duration=5s",
					"ai.fallback.retry.budget.ratio=0.3", "ai.fallback.health.open-status=UNKNOWN",
					"ai.fallback.cache.ttl=1m", "ai.fallback.dashboard.enabled=false",
					"ai.fallback.chain[1].hedge.delay=2s", "ai.fallback.chain[1].headers.x.trace.id=t")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void whenUnknownKeysAreAllowedThenStartUpSucceeds() {
		this.runner.withPropertyValues("ai.fallback.fail-on-unknown-keys=false", "ai.fallback.timout=1s")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private static FailureAnalysis analysis(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis").isNotNull();
		return analysis;
	}

	private static StandardEnvironment environment(Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		return environment;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(FallbackAutoConfiguration.class)
	static class Application {

	}

}

package io.github.aifallback.test;

import java.time.Duration;
import java.util.Map;

import io.github.aifallback.autoconfigure.FallbackProperties;
import io.github.aifallback.autoconfigure.EntrySettingsProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The properties that point a chain at the simulator, read back as the starter binds them.
 */
class ChainRedirectTests {

	private static FallbackSimulator simulator;

	@BeforeAll
	static void start() {
		simulator = FallbackSimulator.start();
	}

	@AfterAll
	static void stop() {
		simulator.close();
	}

	private static FallbackProperties redirected(MockEnvironment environment) {
		environment.getPropertySources()
			.addFirst(new MapPropertySource("fallbackSimulator", ChainRedirect.properties(environment, simulator)));
		return Binder.get(environment).bind("ai.fallback", FallbackProperties.class).get();
	}

	@Test
	void whenAnEntryHasAnOverrideOfItsOwnThenTheRedirectAddsToIt() {
		MockEnvironment environment = new MockEnvironment().withProperty("ai.fallback.chain[0].model", "gpt-4.1")
			.withProperty("ai.fallback.entries[gpt-4.1].timeout", "1s")
			.withProperty("ai.fallback.entries[gpt-4.1].policy.server-error", "fall-back")
			.withProperty("ai.fallback.chain[1].model", "m2")
			.withProperty("ai.fallback.entries.m2.timeout", "2s");

		FallbackProperties properties = redirected(environment);

		assertThat(properties.getEntries()).containsOnlyKeys("gpt-4.1", "m2");
		assertThat(properties.getEntries().get("m2").getTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(properties.getEntries().get("m2").getBaseUrl()).isEqualTo(simulator.openAiBaseUrl("m2"));
		assertThat(properties.getEntries().get("gpt-4.1").getTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(properties.getEntries().get("gpt-4.1").getPolicy()).hasSize(1);
		assertThat(properties.getEntries().get("gpt-4.1").getBaseUrl()).isEqualTo(simulator.openAiBaseUrl("gpt-4.1"));
	}

	@Test
	void whenAnEntrysProviderIsAnthropicThenItKeepsItsProviderAndGetsAnAnthropicUrl() {
		MockEnvironment environment = new MockEnvironment().withProperty("ai.fallback.chain[0].name", "claude")
			.withProperty("ai.fallback.chain[0].model", "claude-x")
			.withProperty("ai.fallback.chain[0].provider", "my-anthropic")
			.withProperty("ai.fallback.providers.my-anthropic.type", "anthropic")
			.withProperty("ai.fallback.providers.my-anthropic.api-key", "${UNSET_KEY}");

		FallbackProperties properties = redirected(environment);

		EntrySettingsProperties claude = properties.getEntries().get("claude");
		assertThat(claude.getProvider()).isEqualTo("my-anthropic");
		assertThat(properties.getProviders().get("my-anthropic").getType())
			.isEqualToIgnoringCase("anthropic");
		assertThat(claude.getBaseUrl()).isEqualTo(simulator.anthropicBaseUrl("claude")).doesNotEndWith("/v1");
		assertThat(claude.getApiKey()).isEqualTo(FallbackSimulator.API_KEY);
		assertThat(properties.getProviders().get("my-anthropic").getApiKey()).isEqualTo(FallbackSimulator.API_KEY);
	}

	@Test
	void whenAnEntryHasDeploymentsThenTheRedirectFailsNamingIt() {
		MockEnvironment environment = new MockEnvironment().withProperty("ai.fallback.chain[0].model", "m")
			.withProperty("ai.fallback.chain[0].deployments[0].base-url", "https://a.invalid/v1");

		assertThatIllegalStateException().isThrownBy(() -> ChainRedirect.properties(environment, simulator))
			.withMessageContaining("ai.fallback.chain[0]")
			.withMessageContaining("deployments");
	}

	@Test
	void whenAnEntryIsAChatModelBeanThenItIsLeftAlone() {
		MockEnvironment environment = new MockEnvironment().withProperty("ai.fallback.chain[0].chat-model", "ollama");

		assertThat(ChainRedirect.properties(environment, simulator)).isEqualTo(Map.of());
	}

}

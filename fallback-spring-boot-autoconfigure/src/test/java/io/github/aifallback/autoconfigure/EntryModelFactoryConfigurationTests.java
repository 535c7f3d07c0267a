package io.github.aifallback.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.deployment.RateLimitState;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new vendor is a new class: an {@link EntryModelFactory} bean whose {@code provider()} a
 * provider's {@code type} names builds that provider's entries from the settings resolved
 * once (URL and key as a pair, the entry's timeout else the chain's); a type no factory
 * builds fails start-up naming the property and the providers there are.
 */
class EntryModelFactoryConfigurationTests {

	private static final String SECRET = "canary-echo-5e1c9a7b3d";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withPropertyValues("ai.fallback.warm-up=false", "ai.fallback.timeout=7s", "ai.fallback.chain[0].model=echo-1",
				"ai.fallback.chain[0].name=echo", "ai.fallback.chain[0].provider=lab",
				"ai.fallback.providers.lab.base-url=https://echo.example.test/v1",
				"ai.fallback.providers.lab.api-key=" + SECRET,
				"ai.fallback.providers.lab.headers.X-Team=blue");

	@Test
	void whenAProviderNamesAFactoryBeanThenItsEntriesAreThatFactorysModelsBuiltFromTheResolvedSettings() {
		EchoFactory echo = new EchoFactory("echo");
		this.runner.withBean("echoFactory", EntryModelFactory.class, () -> echo)
			.withPropertyValues("ai.fallback.providers.lab.type=Echo")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ChatResponse response = context.getBean(ResilientChatClient.class).call(new Prompt("hello"));

				assertThat(response.getResult().getOutput().getText()).isEqualTo("echo-1 says hello");
				assertThat(FallbackMetadata.of(response).servedBy()).isEqualTo("echo");
				assertThat(echo.built).hasSize(1);
				ResolvedEndpoint endpoint = echo.built.get(0);
				assertThat(endpoint.property()).isEqualTo("ai.fallback.chain[0]");
				assertThat(endpoint.providerKey()).isEqualTo("lab");
				assertThat(endpoint.baseUrl()).isEqualTo("https://echo.example.test/v1");
				assertThat(endpoint.apiKey()).isEqualTo(SECRET);
				assertThat(endpoint.headers()).containsEntry("X-Team", "blue");
				assertThat(endpoint.timeout()).as("the chain's timeout, the entry setting none")
					.isEqualTo(Duration.ofSeconds(7));
				assertThat(endpoint.toString()).doesNotContain(SECRET).doesNotContain("blue");
			});
	}

	@Test
	void whenTheApplicationHasAnOpenAiFactoryThenItReplacesTheStartersOwn() {
		EchoFactory echo = new EchoFactory("openai");
		this.runner.withBean("myOpenAi", EntryModelFactory.class, () -> echo)
			.withPropertyValues("ai.fallback.chain[0].timeout=3s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ChatResponse response = context.getBean(ResilientChatClient.class).call(new Prompt("hi"));

				assertThat(response.getResult().getOutput().getText()).isEqualTo("echo-1 says hi");
				assertThat(echo.built).singleElement()
					.satisfies((endpoint) -> assertThat(endpoint.timeout()).isEqualTo(Duration.ofSeconds(3)));
			});
	}

	@Test
	void whenAProvidersTypeIsNoFactorysThenStartupFailsListingTheProviders() {
		this.runner.withPropertyValues("ai.fallback.providers.lab.type=gemini").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("Property: ai.fallback.providers.lab.type")
				.contains("'gemini'")
				.contains("[anthropic, openai]")
				.doesNotContain(SECRET);
			assertThat(analysis.getAction()).contains("EntryModelFactory").contains("'gemini'");
		});
	}

	@Test
	void whenTwoApplicationFactoriesBuildOneProviderThenStartupFailsNamingBoth() {
		this.runner.withBean("first", EntryModelFactory.class, () -> new EchoFactory("echo"))
			.withBean("second", EntryModelFactory.class, () -> new EchoFactory("echo"))
			.withPropertyValues("ai.fallback.providers.lab.type=echo")
			.run((context) -> assertThat(analysis(context).getDescription()).contains("both build the provider 'echo'"));
	}

	private static FailureAnalysis analysis(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis").isNotNull();
		return analysis;
	}

	/** A vendor of its own: answers with its model id and the prompt, and keeps what it was built from. */
	private static final class EchoFactory implements EntryModelFactory {

		private final String provider;

		final List<ResolvedEndpoint> built = new ArrayList<>();

		EchoFactory(String provider) {
			this.provider = provider;
		}

		@Override
		public String provider() {
			return this.provider;
		}

		@Override
		public EntryModel create(ResolvedEndpoint endpoint, RateLimitState rateLimits) {
			this.built.add(endpoint);
			return (prompt, timeout) -> new ChatResponse(List.of(new Generation(
					new AssistantMessage(endpoint.model() + " says " + prompt.getContents()))));
		}

	}

}

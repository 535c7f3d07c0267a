package io.github.aifallback.autoconfigure;

import java.io.PrintWriter;
import java.io.StringWriter;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.AnthropicStubs;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.anthropic.AnthropicEntryModel;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ai.fallback.providers.<key>.type: anthropic} builds that provider's entries on
 * spring-ai-anthropic, with the provider's own URL and key only; without the library, or
 * without the pair, start-up fails naming the property and the fix.
 */
class AnthropicProviderConfigurationTests {

	private static final String SECRET = "canary-anthropic-7d3f1b9e5a";

	private static final String OPENAI_SECRET = "canary-openai-2b8e4c6f0a";

	@RegisterExtension
	static WireMockExtension anthropic = AnthropicStubs.provider();

	@RegisterExtension
	static WireMockExtension openAi = OpenAiStubs.provider();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withPropertyValues("ai.fallback.warm-up=false", "ai.fallback.chain[0].model=claude-x",
				"ai.fallback.chain[0].name=claude", "ai.fallback.chain[0].provider=claude",
				"ai.fallback.providers.claude.type=anthropic");

	@Test
	void whenAProviderIsOfTypeAnthropicThenItsEntriesAreAnthropicAndSendOnlyItsKeyToItsUrl() {
		anthropic.resetAll();
		openAi.resetAll();
		anthropic.stubFor(AnthropicStubs.messages("claude-x").willReturn(AnthropicStubs.answer("claude-x", "hi")));
		this.runner
			.withPropertyValues("ai.fallback.providers.claude.base-url=" + AnthropicStubs.baseUrl(anthropic),
					"ai.fallback.providers.claude.api-key=" + SECRET,
					"spring.ai.openai.base-url=" + OpenAiStubs.baseUrl(openAi),
					"spring.ai.openai.api-key=" + OPENAI_SECRET, "ai.fallback.chain[1].model=gpt-x")
			.run((context) -> {
				ResilientChatClient client = context.getBean(ResilientChatClient.class);
				assertThat(client.getEntries()).extracting(ChainEntry::entryModel)
					.hasExactlyElementsOfTypes(AnthropicEntryModel.class, OpenAiEntryModel.class);

				ChatResponse response = client.call(new Prompt("hello"));

				assertThat(response.getResult().getOutput().getText()).isEqualTo("hi");
				anthropic.verify(1, AnthropicStubs.requestsFor("claude-x").withHeader("x-api-key", equalTo(SECRET)));
				anthropic.verify(0, anyRequestedFor(anyUrl()).withHeader("Authorization", equalTo("Bearer " + OPENAI_SECRET)));
				openAi.verify(0, anyRequestedFor(anyUrl()));
			});
	}

	@Test
	void whenTheTypeIsAnthropicButSpringAiAnthropicIsMissingThenStartupSaysWhichDependencyToAdd() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.ai.anthropic"))
			.withPropertyValues("ai.fallback.providers.claude.base-url=https://api.anthropic.com",
					"ai.fallback.providers.claude.api-key=" + SECRET)
			.run((context) -> assertFailure(context, "ai.fallback.providers.claude.type",
					"org.springframework.ai:spring-ai-anthropic"));
	}

	@Test
	void whenAnAnthropicProviderHasAKeyButNoUrlThenStartupFailsInsteadOfUsingAnyDefault() {
		this.runner
			.withPropertyValues("ai.fallback.providers.claude.api-key=" + SECRET,
					"spring.ai.openai.base-url=http://127.0.0.1:9/v1", "spring.ai.openai.api-key=" + OPENAI_SECRET)
			.run((context) -> assertFailure(context, "ai.fallback.providers.claude.base-url",
					"Set ai.fallback.providers.claude.base-url"));
	}

	@Test
	void whenAnAnthropicProviderHasAUrlButNoKeyThenStartupFailsInsteadOfReadingTheEnvironment() {
		this.runner
			.withPropertyValues("ai.fallback.providers.claude.base-url=https://api.anthropic.com",
					"spring.ai.openai.api-key=" + OPENAI_SECRET)
			.run((context) -> assertFailure(context, "ai.fallback.providers.claude.api-key",
					"Set ai.fallback.providers.claude.api-key"));
	}

	@Test
	void whenAnAnthropicProviderHasNeitherUrlNorKeyThenStartupFails() {
		this.runner.withPropertyValues("spring.ai.openai.api-key=" + OPENAI_SECRET)
			.run((context) -> assertFailure(context, "ai.fallback.providers.claude.base-url",
					"ai.fallback.providers.claude.api-key"));
	}

	@Test
	void whenAnAnthropicProviderUrlIsNotHttpThenStartupFailsNamingIt() {
		this.runner
			.withPropertyValues("ai.fallback.providers.claude.base-url=ftp://api.anthropic.com",
					"ai.fallback.providers.claude.api-key=" + SECRET)
			.run((context) -> assertFailure(context, "ai.fallback.providers.claude.base-url", "Set"));
	}

	@Test
	void whenTheTypeIsUnknownThenStartupFails() {
		this.runner
			.withPropertyValues("ai.fallback.providers.claude.type=gemini",
					"ai.fallback.providers.claude.base-url=https://x.example",
					"ai.fallback.providers.claude.api-key=" + SECRET)
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void whenNoTypeIsGivenThenTheProviderIsOpenAiCompatible() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
			.withPropertyValues("ai.fallback.warm-up=false", "ai.fallback.chain[0].model=gpt-x",
					"ai.fallback.chain[0].provider=bridge", "ai.fallback.providers.bridge.base-url=http://127.0.0.1:9/v1",
					"ai.fallback.providers.bridge.api-key=" + SECRET)
			.run((context) -> assertThat(context.getBean(ResilientChatClient.class).getEntries())
				.extracting(ChainEntry::entryModel)
				.hasExactlyElementsOfTypes(OpenAiEntryModel.class));
	}

	private static void assertFailure(AssertableApplicationContext context, String property, String fix) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis").isNotNull();
		assertThat(analysis.getDescription()).contains("Property: " + property)
			.doesNotContain(SECRET)
			.doesNotContain(OPENAI_SECRET);
		assertThat(analysis.getAction()).contains(fix).doesNotContain(SECRET).doesNotContain(OPENAI_SECRET);
		StringWriter trace = new StringWriter();
		context.getStartupFailure().printStackTrace(new PrintWriter(trace));
		assertThat(trace.toString()).doesNotContain(SECRET).doesNotContain(OPENAI_SECRET);
	}

}

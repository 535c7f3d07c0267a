package io.github.aifallback.autoconfigure;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP: an entry's default options reach its provider unless the caller sets its
 * own, and {@code spring.ai.openai.chat.*} wins over {@code spring.ai.openai.*} as in
 * Spring AI, its URL and key as a pair.
 */
class EntryOverridesHttpTests {

	@RegisterExtension
	static final WireMockExtension provider = OpenAiStubs.provider();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withPropertyValues("ai.fallback.warm-up=false", "ai.fallback.chain[0].model=model-a",
				"ai.fallback.chain[0].name=primary");

	@Test
	void whenAnEntryHasDefaultOptionsThenTheyAreSentUnlessTheCallerSetsItsOwn() {
		provider.stubFor(OpenAiStubs.completion("model-a").willReturn(OpenAiStubs.answer("model-a", "hi")));
		this.runner
			.withPropertyValues("ai.fallback.chain[0].base-url=" + OpenAiStubs.baseUrl(provider),
					"ai.fallback.chain[0].api-key=k", "ai.fallback.defaults.options.temperature=0.3",
					"ai.fallback.entries.primary.options.max-tokens=77")
			.run((context) -> {
				ResilientChatClient client = context.getBean(ResilientChatClient.class);
				client.call(new Prompt(new UserMessage("one")));
				client.call(new Prompt(new UserMessage("two"),
						ChatOptions.builder().model("caller-model").temperature(0.9).build()));
			});
		provider.verify(2, OpenAiStubs.requestsFor("model-a"));
		provider.verify(1, OpenAiStubs.requestsFor("model-a")
			.withRequestBody(containing("\"one\""))
			.withRequestBody(matchingJsonPath("$.temperature", equalTo("0.3")))
			.withRequestBody(containing("77")));
		provider.verify(1, OpenAiStubs.requestsFor("model-a")
			.withRequestBody(containing("\"two\""))
			.withRequestBody(matchingJsonPath("$.temperature", equalTo("0.9"))));
	}

	@Test
	void whenSpringAiOpenAiChatSetsAUrlAndKeyThenTheyWinOverSpringAiOpenAiWithItsHeaders() {
		provider.stubFor(OpenAiStubs.completion("model-a").willReturn(OpenAiStubs.answer("model-a", "hi")));
		this.runner
			.withPropertyValues("spring.ai.openai.base-url=http://127.0.0.1:9/v1",
					"spring.ai.openai.api-key=common-key", "spring.ai.openai.custom-headers.x-common=common",
					"spring.ai.openai.chat.base-url=" + OpenAiStubs.baseUrl(provider),
					"spring.ai.openai.chat.api-key=chat-key", "spring.ai.openai.chat.custom-headers.x-chat=chat",
					"spring.ai.openai.organization-id=org-1")
			.run((context) -> assertThat(context.getBean(ResilientChatClient.class).call("hello")).isEqualTo("hi"));
		provider.verify(1, OpenAiStubs.requestsFor("model-a")
			.withHeader("Authorization", equalTo("Bearer chat-key"))
			.withHeader("x-chat", equalTo("chat"))
			.withHeader("OpenAI-Organization", equalTo("org-1"))
			.withoutHeader("x-common"));
	}

	@Test
	void whenSpringAiOpenAiChatSetsAKeyButTheUrlIsSpringAiOpenAisThenStartupFails() {
		this.runner
			.withPropertyValues("spring.ai.openai.base-url=" + OpenAiStubs.baseUrl(provider),
					"spring.ai.openai.api-key=common-key", "spring.ai.openai.chat.api-key=chat-key")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(new FallbackConfigurationFailureAnalyzer().analyze(context.getStartupFailure())
					.getDescription()).contains("Property: spring.ai.openai.chat.base-url").doesNotContain("chat-key");
			});
		assertThat(provider.getAllServeEvents()).isEmpty();
	}

}

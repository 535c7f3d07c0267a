package io.github.aifallback.chat;


import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.client.ChatClient;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Structured output through {@code ChatClient} across vendor switches: whichever entry
 * answers (Anthropic, or an Ollama {@code ChatModel} bean after OpenAI and Anthropic failed),
 * it gets the format instructions and its JSON becomes the application's type.
 */
class StructuredOutputAcrossVendorsHttpTests {

	@RegisterExtension
	static WireMockExtension openAi = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension anthropic = AnthropicStubs.provider();

	@RegisterExtension
	static WireMockExtension ollama = OllamaStubs.provider();

	@BeforeAll
	static void warmUp() {
		ThreeVendors.warmUp(openAi, anthropic, ollama);
	}

	private ChatClient chatClient;

	@BeforeEach
	void buildChain() {
		ResilientChatClient chain = ThreeVendors.chain(openAi, anthropic, ollama)
			.build();
		this.chatClient = ChatClient.create(chain);
	}

	@Test
	void whenOpenAiFailsThenAnthropicsJsonBecomesTheApplicationsType() {
		openAi.stubFor(OpenAiStubs.completion("gpt-a").willReturn(serverError()));
		anthropic.stubFor(AnthropicStubs.messages("claude-a")
			.willReturn(AnthropicStubs.answer("claude-a", "{\\\"city\\\":\\\"Paris\\\",\\\"celsius\\\":21}")));

		Weather weather = this.chatClient.prompt().user("Weather in Paris?").call().entity(Weather.class);

		assertThat(weather).isEqualTo(new Weather("Paris", 21));
		anthropic.verify(1, AnthropicStubs.requestsFor("claude-a").withRequestBody(containing("celsius")));
	}

	@Test
	void whenOpenAiAndAnthropicFailThenTheOllamaBeansJsonBecomesTheApplicationsType() {
		openAi.stubFor(OpenAiStubs.completion("gpt-a").willReturn(serverError()));
		anthropic.stubFor(AnthropicStubs.messages("claude-a").willReturn(AnthropicStubs.overloaded()));
		ollama.stubFor(OllamaStubs.chat("llama-a")
			.willReturn(OllamaStubs.answer("llama-a", "{\\\"city\\\":\\\"Paris\\\",\\\"celsius\\\":21}")));

		Weather weather = this.chatClient.prompt().user("Weather in Paris?").call().entity(Weather.class);

		assertThat(weather).isEqualTo(new Weather("Paris", 21));
		ollama.verify(1, OllamaStubs.requestsFor("llama-a").withRequestBody(containing("celsius")));
	}

	/** The application's type. */
	record Weather(String city, int celsius) {
	}

}

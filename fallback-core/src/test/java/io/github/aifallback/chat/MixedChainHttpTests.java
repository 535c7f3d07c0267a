package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import io.github.aifallback.chat.failure.ProviderErrorException;

import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * One chain across three vendors, each through its real Spring AI client over real HTTP:
 * OpenAI, then Anthropic, then an Ollama {@code ChatModel} bean. Each kind of failure of the
 * first two falls through to the next vendor, blocking and streaming, with the exact number
 * of requests each emulated provider received, and one report format whatever the vendor.
 */
class MixedChainHttpTests {

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

	private ResilientChatClient chain;

	@BeforeEach
	void buildChain() {
		this.chain = ThreeVendors.chain(openAi, anthropic, ollama)
			.sleeper((duration) -> {
			})
			.build();
	}

	/** An OpenAI failure, an Anthropic failure, and the kinds they must be reported as. */
	static Stream<Arguments> failures() {
		return Stream.of(
				Arguments.of(serverError(), AnthropicStubs.overloaded(), "SERVER_ERROR (HTTP 500)",
						"SERVER_ERROR (HTTP 529)"),
				Arguments.of(OpenAiStubs.error(429, "requests", "rate_limit_exceeded"), AnthropicStubs.rateLimited(60),
						"RATE_LIMITED (HTTP 429)", "RATE_LIMITED (HTTP 429)"),
				Arguments.of(OpenAiStubs.error(429, "insufficient_quota", "insufficient_quota"),
						AnthropicStubs.creditTooLow(), "QUOTA_EXHAUSTED (HTTP 429)", "QUOTA_EXHAUSTED (HTTP 400)"),
				Arguments.of(OpenAiStubs.error(401, "invalid_request_error", "invalid_api_key"),
						AnthropicStubs.error(401, "authentication_error", "invalid x-api-key"), "AUTH (HTTP 401)",
						"AUTH (HTTP 401)"),
				Arguments.of(OpenAiStubs.error(404, "invalid_request_error", "model_not_found"),
						AnthropicStubs.error(404, "not_found_error", "model: claude-a"), "MODEL_NOT_FOUND (HTTP 404)",
						"MODEL_NOT_FOUND (HTTP 404)"),
				Arguments.of(OpenAiStubs.error(400, "invalid_request_error", "context_length_exceeded"),
						AnthropicStubs.promptTooLong(), "CONTEXT_TOO_LONG (HTTP 400)", "CONTEXT_TOO_LONG (HTTP 400)"));
	}

	@ParameterizedTest(name = "{2} then {3}")
	@MethodSource("failures")
	void whenOpenAiAndAnthropicFailThenTheOllamaBeanServes(ResponseDefinitionBuilder openAiFailure,
			ResponseDefinitionBuilder anthropicFailure, String openAiKind, String anthropicKind) {
		openAi.stubFor(OpenAiStubs.completion("gpt-a").willReturn(openAiFailure));
		anthropic.stubFor(AnthropicStubs.messages("claude-a").willReturn(anthropicFailure));
		ollama.stubFor(OllamaStubs.chat("llama-a").willReturn(OllamaStubs.answer("llama-a", "from Ollama")));

		ChatResponse response = this.chain.call(new Prompt("hello"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from Ollama");
		assertServedAfter(response, "ollama", openAiKind, anthropicKind);
		openAi.verify(1, OpenAiStubs.requestsFor("gpt-a"));
		anthropic.verify(1, AnthropicStubs.requestsFor("claude-a"));
		ollama.verify(1, OllamaStubs.requestsFor("llama-a"));
	}

	@ParameterizedTest(name = "{2} then {3}")
	@MethodSource("failures")
	void whenOpenAiAndAnthropicFailBeforeTheFirstTokenThenTheOllamaBeanStreams(ResponseDefinitionBuilder openAiFailure,
			ResponseDefinitionBuilder anthropicFailure, String openAiKind, String anthropicKind) {
		openAi.stubFor(OpenAiStubs.completion("gpt-a").willReturn(openAiFailure));
		anthropic.stubFor(AnthropicStubs.messages("claude-a").willReturn(anthropicFailure));
		ollama.stubFor(OllamaStubs.chat("llama-a").willReturn(OllamaStubs.stream("llama-a", "from ", "Ollama")));

		List<ChatResponse> chunks = this.chain.stream(new Prompt("hello")).collectList().block(Duration.ofSeconds(20));

		assertThat(text(chunks)).isEqualTo("from Ollama");
		assertServedAfter(chunks.get(0), "ollama", openAiKind, anthropicKind);
		openAi.verify(1, OpenAiStubs.requestsFor("gpt-a"));
		anthropic.verify(1, AnthropicStubs.requestsFor("claude-a"));
		ollama.verify(1, OllamaStubs.requestsFor("llama-a"));
	}

	@Test
	void whenOpenAiFailsThenAnthropicServesAndOllamaIsNotAsked() {
		openAi.stubFor(OpenAiStubs.completion("gpt-a").willReturn(serverError()));
		anthropic.stubFor(AnthropicStubs.messages("claude-a").willReturn(AnthropicStubs.answer("claude-a", "from Claude")));

		ChatResponse response = this.chain.call(new Prompt("hello"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from Claude");
		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("anthropic");
		ollama.verify(0, OllamaStubs.requestsFor("llama-a"));
	}

	@Test
	void whenOpenAiFailsBeforeTheFirstTokenThenAnthropicStreams() {
		openAi.stubFor(OpenAiStubs.completion("gpt-a").willReturn(serverError()));
		anthropic.stubFor(AnthropicStubs.messages("claude-a").willReturn(AnthropicStubs.sse("claude-a", "from ", "Claude")));

		List<ChatResponse> chunks = this.chain.stream(new Prompt("hello")).collectList().block(Duration.ofSeconds(20));

		assertThat(text(chunks)).isEqualTo("from Claude");
		assertThat(chunks).allSatisfy((chunk) -> assertThat(chunk.getMetadata().<String>get(FallbackMetadata.SERVED_BY))
			.isEqualTo("anthropic"));
		ollama.verify(0, OllamaStubs.requestsFor("llama-a"));
	}

	@Test
	void whenEveryVendorFailsThenOneExceptionListsEveryAttemptInOneFormat() {
		openAi.stubFor(OpenAiStubs.completion("gpt-a").willReturn(serverError()));
		anthropic.stubFor(AnthropicStubs.messages("claude-a").willReturn(AnthropicStubs.overloaded()));
		ollama.stubFor(OllamaStubs.chat("llama-a").willReturn(OllamaStubs.error(500, "out of memory")));

		AllModelsFailedException failed = catchThrowableOfType(AllModelsFailedException.class,
				() -> this.chain.call(new Prompt("hello")));

		assertThat(failed.getAttempts()).extracting(AttemptRecord::describe)
			.satisfiesExactly((line) -> assertThat(line).startsWith("openai attempt 1/1: SERVER_ERROR (HTTP 500)"),
					(line) -> assertThat(line).startsWith("anthropic attempt 1/1: SERVER_ERROR (HTTP 529)"),
					(line) -> assertThat(line).startsWith("ollama attempt 1/1: SERVER_ERROR (HTTP 500)"));
		assertThat(failed.getCause()).isInstanceOf(ProviderErrorException.class);
	}

	@Test
	void whenEveryVendorFailsBeforeTheFirstTokenThenTheStreamEndsWithOneExceptionListingEveryAttempt() {
		openAi.stubFor(OpenAiStubs.completion("gpt-a").willReturn(serverError()));
		anthropic.stubFor(AnthropicStubs.messages("claude-a").willReturn(AnthropicStubs.overloaded()));
		ollama.stubFor(OllamaStubs.chat("llama-a").willReturn(OllamaStubs.error(500, "out of memory")));

		AllModelsFailedException failed = catchThrowableOfType(AllModelsFailedException.class,
				() -> this.chain.stream(new Prompt("hello")).blockLast(Duration.ofSeconds(20)));

		assertThat(failed.getAttempts()).extracting(AttemptRecord::entry)
			.containsExactly("openai", "anthropic", "ollama");
	}

	private static void assertServedAfter(ChatResponse response, String servedBy, String openAiKind,
			String anthropicKind) {
		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo(servedBy);
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).satisfiesExactly(
				(line) -> assertThat(line).startsWith("openai attempt 1/1: " + openAiKind),
				(line) -> assertThat(line).startsWith("anthropic attempt 1/1: " + anthropicKind));
	}

	private static String text(List<ChatResponse> chunks) {
		StringBuilder text = new StringBuilder();
		chunks.forEach((chunk) -> text.append(chunk.getResult().getOutput().getText()));
		return text.toString();
	}

}

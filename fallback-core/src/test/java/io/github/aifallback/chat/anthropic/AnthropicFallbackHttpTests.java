package io.github.aifallback.chat.anthropic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import io.github.aifallback.chat.AnthropicStubs;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.RetrySettings;
import io.github.aifallback.chat.openai.OpenAiEntryModel;

import static io.github.aifallback.chat.AnthropicStubs.messages;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each kind of Anthropic failure, over real HTTP through spring-ai-anthropic, falls back to
 * an OpenAI-compatible entry with the right kind and exactly one request; and an OpenAI
 * failure falls back to Anthropic. Blocking and streaming.
 */
class AnthropicFallbackHttpTests {

	@RegisterExtension
	static WireMockExtension anthropic = AnthropicStubs.provider();

	@RegisterExtension
	static WireMockExtension openAi = OpenAiStubs.provider();

	@BeforeAll
	static void warmUp() {
		AnthropicStubs.warmUp(anthropic);
		OpenAiStubs.warmUp(openAi);
	}

	static Stream<Arguments> failures() {
		return Stream.of(Arguments.of("429 rate_limit_error", AnthropicStubs.rateLimited(0), FailureKind.RATE_LIMITED, 429),
				Arguments.of("529 overloaded_error", AnthropicStubs.overloaded(), FailureKind.SERVER_ERROR, 529),
				Arguments.of("500 api_error", AnthropicStubs.error(500, "api_error", "Internal server error"),
						FailureKind.SERVER_ERROR, 500),
				Arguments.of("401 authentication_error",
						AnthropicStubs.error(401, "authentication_error", "invalid x-api-key"), FailureKind.AUTH, 401),
				Arguments.of("403 permission_error",
						AnthropicStubs.error(403, "permission_error", "no access to this model"), FailureKind.AUTH, 403),
				Arguments.of("404 not_found_error", AnthropicStubs.error(404, "not_found_error", "model: claude-x"),
						FailureKind.MODEL_NOT_FOUND, 404),
				Arguments.of("400 prompt is too long", AnthropicStubs.promptTooLong(), FailureKind.CONTEXT_TOO_LONG,
						400),
				Arguments.of("400 credit balance is too low", AnthropicStubs.creditTooLow(),
						FailureKind.QUOTA_EXHAUSTED, 400),
				Arguments.of("400 other", AnthropicStubs.error(400, "invalid_request_error", "messages: required"),
						FailureKind.BAD_REQUEST, 400));
	}

	/** One attempt per entry: every request counted is the transport's or the chain's. */
	private static ResilientChatClient chain(ChainEntry... entries) {
		return ResilientChatClient.builder()
			.entries(List.of(entries))
			.timeout(Duration.ofSeconds(5))
			.deadline(Duration.ofSeconds(20))
			.retry(RetrySettings.custom().maxAttempts(1).build())
			.build();
	}

	private static ChainEntry claude() {
		return ChainEntry.of("claude", "claude-x", AnthropicStubs.model(anthropic, "claude-x"));
	}

	private static ChainEntry gpt() {
		return ChainEntry.of("gpt", "gpt-x",
				OpenAiEntryModel.create(OpenAiStubs.baseUrl(openAi), "openai-key", "gpt-x", Duration.ofSeconds(5)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("failures")
	void whenTheAnthropicPrimaryFailsThenTheOpenAiSecondaryServesWithTheRightKind(String name,
			ResponseDefinitionBuilder failure, FailureKind kind, int status) {
		anthropic.resetAll();
		openAi.resetAll();
		anthropic.stubFor(messages("claude-x").willReturn(failure));
		openAi.stubFor(OpenAiStubs.completion("gpt-x").willReturn(OpenAiStubs.answer("gpt-x", "from gpt")));

		ChatResponse response = chain(claude(), gpt()).call(new Prompt("hello"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from gpt");
		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("gpt");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("claude attempt 1/1: " + kind + " (HTTP " + status + ")");
		anthropic.verify(1, AnthropicStubs.requestsFor("claude-x"));
		openAi.verify(1, OpenAiStubs.requestsFor("gpt-x"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("failures")
	void whenTheAnthropicPrimaryStreamFailsThenTheOpenAiSecondaryStreamsWithTheRightKind(String name,
			ResponseDefinitionBuilder failure, FailureKind kind, int status) {
		anthropic.resetAll();
		openAi.resetAll();
		anthropic.stubFor(messages("claude-x").willReturn(failure));
		openAi.stubFor(OpenAiStubs.completion("gpt-x").willReturn(OpenAiStubs.sse("gpt-x", "from ", "gpt")));

		List<ChatResponse> chunks = chain(claude(), gpt()).stream(new Prompt("hello"))
			.collectList()
			.block(Duration.ofSeconds(20));

		assertThat(text(chunks)).isEqualTo("from gpt");
		assertThat(chunks.get(0).getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("gpt");
		assertThat(chunks.get(0).getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("claude attempt 1/1: " + kind + " (HTTP " + status + ")");
		anthropic.verify(1, AnthropicStubs.requestsFor("claude-x"));
		openAi.verify(1, OpenAiStubs.requestsFor("gpt-x"));
	}

	static Stream<Arguments> streamErrorEvents() {
		return Stream.of(Arguments.of("overloaded_error", FailureKind.SERVER_ERROR),
				Arguments.of("api_error", FailureKind.SERVER_ERROR),
				Arguments.of("rate_limit_error", FailureKind.RATE_LIMITED));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("streamErrorEvents")
	void whenAnErrorEventArrivesInsideA200StreamBeforeAnyTokenThenTheOpenAiSecondaryStreams(String type,
			FailureKind kind) {
		anthropic.resetAll();
		openAi.resetAll();
		anthropic.stubFor(messages("claude-x").willReturn(AnthropicStubs.errorEvent("claude-x", type, "Overloaded")));
		openAi.stubFor(OpenAiStubs.completion("gpt-x").willReturn(OpenAiStubs.sse("gpt-x", "from ", "gpt")));

		List<ChatResponse> chunks = chain(claude(), gpt()).stream(new Prompt("hello"))
			.collectList()
			.block(Duration.ofSeconds(20));

		assertThat(text(chunks)).isEqualTo("from gpt");
		assertThat(chunks.get(0).getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("claude attempt 1/1: " + kind + " (HTTP 200)");
		anthropic.verify(1, AnthropicStubs.requestsFor("claude-x"));
	}

	@Test
	void whenTheOpenAiPrimaryFailsThenTheAnthropicSecondaryServes() {
		anthropic.resetAll();
		openAi.resetAll();
		openAi.stubFor(OpenAiStubs.completion("gpt-x").willReturn(OpenAiStubs.error(503, "server_error", "busy")));
		anthropic.stubFor(messages("claude-x").willReturn(AnthropicStubs.answer("claude-x", "from claude")));

		ChatResponse response = chain(gpt(), claude()).call(new Prompt("hello"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from claude");
		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("claude");
		assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("end_turn");
		openAi.verify(1, OpenAiStubs.requestsFor("gpt-x"));
		anthropic.verify(1, AnthropicStubs.requestsFor("claude-x"));
	}

	@Test
	void whenTheOpenAiPrimaryStreamFailsThenTheAnthropicSecondaryStreams() {
		anthropic.resetAll();
		openAi.resetAll();
		openAi.stubFor(OpenAiStubs.completion("gpt-x").willReturn(OpenAiStubs.error(429, "rate_limit_exceeded", "slow")));
		anthropic.stubFor(messages("claude-x").willReturn(AnthropicStubs.sse("claude-x", "from ", "claude")));
		ResilientChatClient client = chain(gpt(), claude());

		List<ChatResponse> chunks = client.stream(new Prompt("hello")).collectList().block(Duration.ofSeconds(20));

		assertThat(text(chunks)).isEqualTo("from claude");
		assertThat(chunks.get(0).getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("claude");
		assertThat(client.circuitBreaker("claude").snapshot().successes()).as("a whole stream, with its stop reason")
			.isEqualTo(1);
		openAi.verify(1, OpenAiStubs.requestsFor("gpt-x"));
		anthropic.verify(1, AnthropicStubs.requestsFor("claude-x"));
	}

	@Test
	void whenAnthropicAsksToWaitThenTheRetryWaitsWhatRetryAfterSays() {
		anthropic.resetAll();
		anthropic.stubFor(messages("claude-x").inScenario("limited")
			.whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
			.willReturn(AnthropicStubs.rateLimited(2))
			.willSetStateTo("served"));
		anthropic.stubFor(messages("claude-x").inScenario("limited")
			.whenScenarioStateIs("served")
			.willReturn(AnthropicStubs.answer("claude-x", "after the wait")));
		List<Duration> waits = new ArrayList<>();
		ResilientChatClient client = ResilientChatClient.builder()
			.entry(claude())
			.timeout(Duration.ofSeconds(5))
			.deadline(Duration.ofSeconds(20))
			.retry(RetrySettings.custom()
				.maxAttempts(2)
				.initialInterval(Duration.ofMillis(1))
				.multiplier(1.0)
				.jitter(false)
				.build())
			.sleeper(waits::add)
			.build();

		ChatResponse response = client.call(new Prompt("hello"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("after the wait");
		assertThat(waits).containsExactly(Duration.ofSeconds(2));
		anthropic.verify(2, AnthropicStubs.requestsFor("claude-x"));
	}

	private static String text(List<ChatResponse> chunks) {
		StringBuilder text = new StringBuilder();
		chunks.forEach((chunk) -> text.append(chunk.getResult().getOutput().getText()));
		return text.toString();
	}

}

package io.github.aifallback.chat.model;

import java.time.Duration;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.AllModelsFailedException;
import io.github.aifallback.chat.AnthropicStubs;
import io.github.aifallback.chat.AttemptRecord;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.RetrySettings;
import io.github.aifallback.chat.failure.FailureKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * An entry that is the application's own {@code OpenAiChatModel} or {@code AnthropicChatModel}
 * bean (type {@code chat-model}): Spring AI 2.0 builds both on their vendors' SDKs, whose
 * exceptions carry the status, so a 500 is a server error, a 429 a rate limit with its
 * {@code Retry-After}, a 401 an auth failure, as on the starter's own entries. Over real HTTP,
 * with the real Spring AI clients.
 */
class ApplicationModelFailureHttpTests {

	@RegisterExtension
	static WireMockExtension openAi = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension anthropic = AnthropicStubs.provider();

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(openAi);
		AnthropicStubs.warmUp(anthropic);
	}

	private static OpenAiChatModel openAiModel() {
		return OpenAiChatModel.builder()
			.options(OpenAiChatOptions.builder()
				.baseUrl(OpenAiStubs.baseUrl(openAi))
				.apiKey("test-key")
				.model("model-a")
				.maxRetries(0)
				.timeout(Duration.ofSeconds(10))
				.build())
			.build();
	}

	private static AnthropicChatModel anthropicModel() {
		return AnthropicChatModel.builder()
			.options(AnthropicChatOptions.builder()
				.baseUrl(AnthropicStubs.baseUrl(anthropic))
				.apiKey("test-key")
				.model("claude-a")
				.maxRetries(0)
				.timeout(Duration.ofSeconds(10))
				.build())
			.build();
	}

	private static AttemptRecord onlyAttempt(ChatModel model) {
		AllModelsFailedException failed = catchThrowableOfType(AllModelsFailedException.class,
				() -> ResilientChatClient.builder()
					.entry(ChainEntry.of("application", "m", ChatModelEntryModel.of(model)))
					.retry(RetrySettings.custom().maxAttempts(1).build())
					.sleeper((duration) -> {
					})
					.build()
					.call(new Prompt("hello")));
		assertThat(failed).isNotNull();
		assertThat(failed.getAttempts()).hasSize(1);
		return failed.getAttempts().get(0);
	}

	private static AttemptRecord openAiAnswering(ResponseDefinitionBuilder response) {
		openAi.stubFor(OpenAiStubs.completion("model-a").willReturn(response));
		return onlyAttempt(openAiModel());
	}

	private static AttemptRecord anthropicAnswering(ResponseDefinitionBuilder response) {
		anthropic.stubFor(AnthropicStubs.messages("claude-a").willReturn(response));
		return onlyAttempt(anthropicModel());
	}

	@Test
	void whenTheApplicationsOpenAiModelGets500ThenItIsAServerError() {
		AttemptRecord attempt = openAiAnswering(OpenAiStubs.error(500, "server_error", "upstream_failed"));

		assertThat(attempt.kind()).isEqualTo(FailureKind.SERVER_ERROR);
		assertThat(attempt.status()).isEqualTo(500);
	}

	@Test
	void whenTheApplicationsOpenAiModelGets429ThenItIsARateLimit() {
		AttemptRecord attempt = openAiAnswering(
				OpenAiStubs.error(429, "rate_limit_exceeded", "rate_limit_exceeded").withHeader("Retry-After", "7"));

		assertThat(attempt.kind()).isEqualTo(FailureKind.RATE_LIMITED);
		assertThat(attempt.status()).isEqualTo(429);
	}

	@Test
	void whenTheApplicationsOpenAiModelGets401ThenItIsAnAuthFailure() {
		AttemptRecord attempt = openAiAnswering(OpenAiStubs.error(401, "invalid_request_error", "invalid_api_key"));

		assertThat(attempt.kind()).isEqualTo(FailureKind.AUTH);
	}

	@Test
	void whenTheApplicationsOpenAiModelIsToldTheContextIsTooLongThenItSaysSo() {
		AttemptRecord attempt = openAiAnswering(
				OpenAiStubs.error(400, "invalid_request_error", "context_length_exceeded"));

		assertThat(attempt.kind()).isEqualTo(FailureKind.CONTEXT_TOO_LONG);
	}

	@Test
	void whenTheApplicationsAnthropicModelIsOverloadedThenItIsAServerError() {
		AttemptRecord attempt = anthropicAnswering(AnthropicStubs.overloaded());

		assertThat(attempt.kind()).isEqualTo(FailureKind.SERVER_ERROR);
		assertThat(attempt.status()).isEqualTo(529);
	}

	@Test
	void whenTheApplicationsAnthropicModelGets429ThenItIsARateLimit() {
		AttemptRecord attempt = anthropicAnswering(AnthropicStubs.rateLimited(7));

		assertThat(attempt.kind()).isEqualTo(FailureKind.RATE_LIMITED);
		assertThat(attempt.status()).isEqualTo(429);
	}

}

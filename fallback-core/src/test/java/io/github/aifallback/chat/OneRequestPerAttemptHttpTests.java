package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.openai.OpenAiEntryModel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * One attempt is one HTTP request to one host: the real client over real HTTP follows no
 * redirect and OkHttp re-sends nothing by itself (a reset connection, a 408, a 503 with
 * {@code Retry-After: 0}), for blocking calls and streams alike.
 */
class OneRequestPerAttemptHttpTests {

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension elsewhere = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension secondary = OpenAiStubs.provider();

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(provider);
	}

	/** A chain with no retry of its own: every extra request would be the transport's. */
	private static ResilientChatClient chain(int maxTotalAttempts, ChainEntry... entries) {
		return ResilientChatClient.builder()
			.entries(List.of(entries))
			.timeout(Duration.ofSeconds(5))
			.deadline(Duration.ofSeconds(20))
			.retry(RetrySettings.custom()
				.initialInterval(Duration.ofMillis(1))
				.multiplier(1.0)
				.maxInterval(Duration.ofSeconds(1))
				.jitter(false)
				.maxTotalAttempts(maxTotalAttempts)
				.build())
			.sleeper((duration) -> {
			})
			.build();
	}

	private static ChainEntry entry(String name, String model, WireMockExtension server) {
		return new ChainEntry(name, model,
				OpenAiEntryModel.create(baseUrl(server), "test-key", model, Duration.ofSeconds(5)), null, 1);
	}

	private static AllModelsFailedException failureOfOneAttempt(ResponseDefinitionBuilder response) {
		provider.stubFor(completion("model-a").willReturn(response));
		ResilientChatClient client = chain(1, entry("primary", "model-a", provider));
		return catchThrowableOfType(AllModelsFailedException.class, () -> client.call(new Prompt("hello")));
	}

	@ParameterizedTest
	@ValueSource(ints = { 301, 302, 303, 307, 308 })
	void whenTheProviderRedirectsThenTheOtherHostReceivesNothingAndTheCallFallsBack(int status) {
		elsewhere.stubFor(any(anyUrl()).willReturn(answer("model-a", "from elsewhere")));
		provider.stubFor(completion("model-a").willReturn(aResponse().withStatus(status)
			.withHeader("Location", baseUrl(elsewhere) + "/chat/completions")));
		secondary.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		ResilientChatClient client = chain(8, entry("primary", "model-a", provider),
				entry("secondary", "model-b", secondary));

		ChatResponse response = client.call(new Prompt("hello"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.satisfies((line) -> assertThat(line).contains("BAD_REQUEST (HTTP " + status + ")"));
		elsewhere.verify(0, anyRequestedFor(anyUrl()));
		provider.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenAStreamIsRedirectedThenTheOtherHostReceivesNothingAndTheStreamFallsBack() {
		elsewhere.stubFor(any(anyUrl()).willReturn(answer("model-a", "from elsewhere")));
		provider.stubFor(completion("model-a").willReturn(
				aResponse().withStatus(307).withHeader("Location", baseUrl(elsewhere) + "/chat/completions")));
		secondary.stubFor(completion("model-b").willReturn(sse("model-b", "from B")));
		ResilientChatClient client = chain(8, entry("primary", "model-a", provider),
				entry("secondary", "model-b", secondary));

		List<ChatResponse> chunks = client.stream(new Prompt("hello")).collectList().block(Duration.ofSeconds(20));

		assertThat(chunks).extracting((chunk) -> chunk.getResult().getOutput().getText()).contains("from B");
		elsewhere.verify(0, anyRequestedFor(anyUrl()));
		provider.verify(1, requestsFor("model-a"));
	}

	/**
	 * OkHttp re-sends a request silently when a reused (keep-alive) connection is reset, so
	 * the first call leaves a pooled connection behind.
	 */
	@Test
	void whenAReusedConnectionIsResetThenExactlyOneRequestIsSent() {
		provider.stubFor(completion("model-a").willReturn(answer("model-a", "from A")));
		ResilientChatClient client = chain(1, entry("primary", "model-a", provider));
		client.call(new Prompt("hello"));
		provider.stubFor(completion("model-a").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

		AllModelsFailedException failure = catchThrowableOfType(AllModelsFailedException.class,
				() -> client.call(new Prompt("hello again")));

		assertThat(failure).isNotNull();
		assertThat(failure.getAttempts()).singleElement()
			.satisfies((attempt) -> assertThat(attempt.kind()).isEqualTo(FailureKind.CONNECTION));
		provider.verify(2, requestsFor("model-a"));
	}

	@Test
	void whenTheProviderAnswers408ThenExactlyOneRequestIsSent() {
		AllModelsFailedException failure = failureOfOneAttempt(aResponse().withStatus(408));

		assertThat(failure).isNotNull();
		assertThat(failure.getAttempts()).singleElement()
			.satisfies((attempt) -> assertThat(attempt.status()).isEqualTo(408));
		provider.verify(1, requestsFor("model-a"));
	}

	@Test
	void whenTheProviderAnswers503WithRetryAfterZeroThenExactlyOneRequestIsSent() {
		AllModelsFailedException failure = failureOfOneAttempt(
				aResponse().withStatus(503).withHeader("Retry-After", "0"));

		assertThat(failure).isNotNull();
		assertThat(failure.getAttempts()).singleElement().satisfies((attempt) -> {
			assertThat(attempt.kind()).isEqualTo(FailureKind.SERVER_ERROR);
			assertThat(attempt.status()).isEqualTo(503);
		});
		provider.verify(1, requestsFor("model-a"));
	}

	@Test
	void whenAStreamGets503WithRetryAfterZeroThenExactlyOneRequestIsSent() {
		provider.stubFor(completion("model-a").willReturn(aResponse().withStatus(503).withHeader("Retry-After", "0")));
		secondary.stubFor(completion("model-b").willReturn(sse("model-b", "from B")));
		ResilientChatClient client = chain(2, entry("primary", "model-a", provider),
				entry("secondary", "model-b", secondary));

		List<ChatResponse> chunks = client.stream(new Prompt("hello")).collectList().block(Duration.ofSeconds(20));

		assertThat(chunks).extracting((chunk) -> chunk.getResult().getOutput().getText()).contains("from B");
		provider.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
	}

	private static ResponseDefinitionBuilder sse(String model, String text) {
		return aResponse().withStatus(200)
			.withHeader("Content-Type", "text/event-stream")
			.withBody("data: {\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
					+ "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text
					+ "\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import io.github.aifallback.chat.anthropic.AnthropicEntryModel;
import io.github.aifallback.chat.anthropic.AnthropicTestAccess;
import io.github.aifallback.chat.failure.FailureKind;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.github.aifallback.chat.AnthropicStubs.answer;
import static io.github.aifallback.chat.AnthropicStubs.baseUrl;
import static io.github.aifallback.chat.AnthropicStubs.messages;
import static io.github.aifallback.chat.AnthropicStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Anthropic entry's transport over real HTTP: the SDK's own retries are off and OkHttp
 * re-sends nothing (one attempt, one request, one host), attempts end at their timeout,
 * streams run to the deadline but no further, end cleanly only with their stop reason, and
 * close their connection when the subscriber cancels; the key never reaches an exception.
 */
class AnthropicTransportHttpTests {

	private static final String KEY = "sk-ant-api03-the-real-secret-key-0123456789";

	@RegisterExtension
	static WireMockExtension provider = AnthropicStubs.provider();

	@RegisterExtension
	static WireMockExtension elsewhere = AnthropicStubs.provider();

	@RegisterExtension
	static WireMockExtension secondary = AnthropicStubs.provider();

	@BeforeAll
	static void warmUp() {
		AnthropicStubs.warmUp(provider);
	}

	@BeforeEach
	void reset() {
		provider.resetAll();
		elsewhere.resetAll();
		secondary.resetAll();
	}

	/** A chain with no retry of its own: every extra request would be the SDK's or OkHttp's. */
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
				AnthropicEntryModel.create(baseUrl(server), KEY, model, Duration.ofSeconds(5)), null, 1);
	}

	private static AllModelsFailedException failureOfOneAttempt(ResponseDefinitionBuilder response) {
		provider.stubFor(messages("claude-a").willReturn(response));
		ResilientChatClient client = chain(1, entry("primary", "claude-a", provider));
		return catchThrowableOfType(AllModelsFailedException.class, () -> client.call(new Prompt("hello")));
	}

	@Test
	void whenAnthropicAnswers529ThenExactlyOneRequestIsSent() {
		AllModelsFailedException failure = failureOfOneAttempt(AnthropicStubs.overloaded());

		assertThat(failure.getAttempts()).singleElement()
			.satisfies((attempt) -> assertThat(attempt.kind()).isEqualTo(FailureKind.SERVER_ERROR));
		provider.verify(1, requestsFor("claude-a"));
	}

	@ParameterizedTest
	@ValueSource(ints = { 408, 409, 429, 500, 503 })
	void whenAnthropicAnswersAStatusTheSdkWouldRetryThenExactlyOneRequestIsSent(int status) {
		AllModelsFailedException failure = failureOfOneAttempt(
				AnthropicStubs.error(status, "api_error", "retry me").withHeader("retry-after", "0"));

		assertThat(failure.getAttempts()).singleElement()
			.satisfies((attempt) -> assertThat(attempt.status()).isEqualTo(status));
		provider.verify(1, requestsFor("claude-a"));
	}

	@Test
	void whenAStreamGets529ThenExactlyOneRequestIsSent() {
		provider.stubFor(messages("claude-a").willReturn(AnthropicStubs.overloaded()));
		ResilientChatClient client = chain(1, entry("primary", "claude-a", provider));

		StepVerifier.create(client.stream(new Prompt("hello")))
			.expectError(AllModelsFailedException.class)
			.verify(Duration.ofSeconds(10));

		provider.verify(1, requestsFor("claude-a"));
	}

	/** OkHttp re-sends a request silently when a reused (keep-alive) connection is reset. */
	@Test
	void whenAReusedConnectionIsResetThenExactlyOneRequestIsSent() {
		provider.stubFor(messages("claude-a").willReturn(answer("claude-a", "from A")));
		ResilientChatClient client = chain(1, entry("primary", "claude-a", provider));
		client.call(new Prompt("hello"));
		provider.stubFor(messages("claude-a").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

		AllModelsFailedException failure = catchThrowableOfType(AllModelsFailedException.class,
				() -> client.call(new Prompt("hello again")));

		assertThat(failure.getAttempts()).singleElement()
			.satisfies((attempt) -> assertThat(attempt.kind()).isEqualTo(FailureKind.CONNECTION));
		provider.verify(2, requestsFor("claude-a"));
	}

	@ParameterizedTest
	@ValueSource(ints = { 301, 302, 303, 307, 308 })
	void whenAnthropicRedirectsThenTheOtherHostReceivesNothingAndTheCallFallsBack(int status) {
		elsewhere.stubFor(any(anyUrl()).willReturn(answer("claude-a", "from elsewhere")));
		provider.stubFor(messages("claude-a").willReturn(
				aResponse().withStatus(status).withHeader("Location", baseUrl(elsewhere) + "/v1/messages")));
		secondary.stubFor(messages("claude-b").willReturn(answer("claude-b", "from B")));
		ResilientChatClient client = chain(8, entry("primary", "claude-a", provider),
				entry("secondary", "claude-b", secondary));

		ChatResponse response = client.call(new Prompt("hello"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("BAD_REQUEST (HTTP " + status + ")");
		elsewhere.verify(0, anyRequestedFor(anyUrl()));
		provider.verify(1, requestsFor("claude-a"));
		secondary.verify(1, requestsFor("claude-b"));
	}

	@Test
	void whenAnAnthropicStreamIsRedirectedThenTheOtherHostReceivesNothingAndTheStreamFallsBack() {
		elsewhere.stubFor(any(anyUrl()).willReturn(AnthropicStubs.sse("claude-a", "from elsewhere")));
		provider.stubFor(messages("claude-a").willReturn(
				aResponse().withStatus(307).withHeader("Location", baseUrl(elsewhere) + "/v1/messages")));
		secondary.stubFor(messages("claude-b").willReturn(AnthropicStubs.sse("claude-b", "from B")));
		ResilientChatClient client = chain(8, entry("primary", "claude-a", provider),
				entry("secondary", "claude-b", secondary));

		List<ChatResponse> chunks = client.stream(new Prompt("hello")).collectList().block(Duration.ofSeconds(20));

		assertThat(text(chunks)).isEqualTo("from B");
		elsewhere.verify(0, anyRequestedFor(anyUrl()));
		provider.verify(1, requestsFor("claude-a"));
	}

	@Test
	void whenAnAnthropicAttemptHangsThenItEndsAtItsTimeoutAndTheNextEntryServes() {
		provider.stubFor(messages("claude-a").willReturn(answer("claude-a", "late").withFixedDelay(10_000)));
		secondary.stubFor(messages("claude-b").willReturn(answer("claude-b", "from B")));
		ResilientChatClient client = ResilientChatClient.builder()
			.entry(new ChainEntry("primary", "claude-a",
					AnthropicEntryModel.create(baseUrl(provider), KEY, "claude-a", Duration.ofSeconds(30)),
					Duration.ofSeconds(1), 1))
			.entry(entry("secondary", "claude-b", secondary))
			.deadline(Duration.ofSeconds(20))
			.build();

		long started = System.nanoTime();
		ChatResponse response = client.call(new Prompt("hello"));
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("primary attempt 1/1: TIMEOUT");
		assertThat(millis).as("the 1 s attempt timeout, not the model's 30 s").isLessThan(4_000);
		provider.verify(1, requestsFor("claude-a"));
	}

	@Test
	void whenAnAnthropicStreamHangsThenItIsAbandonedAtTheFirstTokenTimeoutAndItsCallCancelled() {
		provider.stubFor(messages("claude-a").willReturn(AnthropicStubs.sse("claude-a", "late").withFixedDelay(10_000)));
		secondary.stubFor(messages("claude-b").willReturn(AnthropicStubs.sse("claude-b", "from B")));
		AnthropicEntryModel primary = AnthropicEntryModel.create(baseUrl(provider), KEY, "claude-a",
				Duration.ofSeconds(30));
		ResilientChatClient client = ResilientChatClient.builder()
			.entry(new ChainEntry("primary", "claude-a", primary, null, 1))
			.entry(entry("secondary", "claude-b", secondary))
			.firstTokenTimeout(Duration.ofSeconds(1))
			.deadline(Duration.ofSeconds(20))
			.build();

		long started = System.nanoTime();
		List<ChatResponse> chunks = client.stream(new Prompt("hello")).collectList().block(Duration.ofSeconds(20));
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

		assertThat(text(chunks)).isEqualTo("from B");
		assertThat(millis).isLessThan(4_000);
		assertThat(AnthropicTestAccess.trackedStreams(primary)).as("the hanging call was cancelled").isZero();
		provider.verify(1, requestsFor("claude-a"));
	}

	@Test
	void whenAHealthyStreamOutlivesTheAttemptTimeoutThenItRunsToItsEnd() throws Exception {
		try (AnthropicRawSseServer raw = new AnthropicRawSseServer(8, 250)) {
			ResilientChatClient client = ResilientChatClient.builder()
				.entry(ChainEntry.of("primary", "claude-a",
						AnthropicEntryModel.create(raw.anthropicBaseUrl(), KEY, "claude-a", Duration.ofSeconds(1))))
				.timeout(Duration.ofSeconds(1))
				.deadline(Duration.ofSeconds(20))
				.build();

			List<ChatResponse> chunks = client.stream(new Prompt("hi")).collectList().block(Duration.ofSeconds(20));

			assertThat(text(chunks)).isEqualTo("tok0 tok1 tok2 tok3 tok4 tok5 tok6 tok7 ");
			assertThat(raw.requests).hasValue(1);
		}
	}

	@Test
	void whenTheSubscriberCancelsThenTheUpstreamConnectionIsClosed() throws Exception {
		try (AnthropicRawSseServer raw = new AnthropicRawSseServer(200, 25)) {
			AnthropicEntryModel primary = AnthropicEntryModel.create(raw.anthropicBaseUrl(), KEY, "claude-a",
					Duration.ofSeconds(5));
			ResilientChatClient client = ResilientChatClient.builder()
				.entry(ChainEntry.of("primary", "claude-a", primary))
				.entry(entry("secondary", "claude-b", secondary))
				.build();

			List<ChatResponse> firstTwo = client.stream(new Prompt("hi")).take(2).collectList().block();

			assertThat(firstTwo).hasSize(2);
			assertThat(raw.closedByClient.await(5, TimeUnit.SECONDS)).as("the server saw the connection end").isTrue();
			assertThat(raw.eventsWritten.get()).isLessThan(200);
			assertThat(raw.requests).hasValue(1);
			assertThat(AnthropicTestAccess.trackedStreams(primary)).as("no call left tracked").isZero();
		}
		secondary.verify(0, requestsFor("claude-b"));
	}

	@Test
	void whenAStreamEndsAfterItsFirstTokenWithoutItsStopReasonThenItIsInterrupted() {
		provider.stubFor(messages("claude-a").willReturn(AnthropicStubs.cut("claude-a", "Hel", "lo")));
		ResilientChatClient client = chain(8, entry("primary", "claude-a", provider),
				entry("secondary", "claude-b", secondary));

		StepVerifier.create(client.stream(new Prompt("hi")))
			.expectNextCount(2)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(StreamInterruptedException.class,
					(interrupted) -> {
						assertThat(interrupted.getKind()).isEqualTo(FailureKind.CONNECTION);
						assertThat(interrupted.getCharactersDelivered()).isEqualTo(5);
					}))
			.verify(Duration.ofSeconds(10));

		assertThat(client.circuitBreaker("primary").snapshot().successes()).isZero();
		provider.verify(1, requestsFor("claude-a"));
		secondary.verify(0, requestsFor("claude-b"));
	}

	@Test
	void whenAStreamEndsBeforeItsFirstTokenWithoutItsStopReasonThenTheNextEntryStreams() {
		provider.stubFor(messages("claude-a").willReturn(AnthropicStubs.cut("claude-a")));
		secondary.stubFor(messages("claude-b").willReturn(AnthropicStubs.sse("claude-b", "from ", "B")));

		List<ChatResponse> chunks = chain(8, entry("primary", "claude-a", provider),
				entry("secondary", "claude-b", secondary))
			.stream(new Prompt("hi"))
			.collectList()
			.block(Duration.ofSeconds(10));

		assertThat(text(chunks)).isEqualTo("from B");
		assertThat(chunks.get(0).getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("CONNECTION");
		provider.verify(1, requestsFor("claude-a"));
	}

	@Test
	void whenAnErrorBodyEchoesTheKeyThenNoExceptionOfTheChainCarriesIt() {
		provider.stubFor(messages("claude-a").willReturn(
				AnthropicStubs.error(401, "authentication_error", "invalid x-api-key: " + KEY)));
		ResilientChatClient client = chain(8, entry("primary", "claude-a", provider));

		AllModelsFailedException failure = catchThrowableOfType(AllModelsFailedException.class,
				() -> client.call(new Prompt("hello")));
		// An authentication failure is the provider's explicit word: it opened the circuit.
		client.circuitBreaker("primary").reset();
		Throwable streamed = client.stream(new Prompt("hello")).onErrorResume(reactor.core.publisher.Flux::error)
			.materialize()
			.filter(reactor.core.publisher.Signal::isOnError)
			.blockFirst(Duration.ofSeconds(10))
			.getThrowable();

		for (Throwable thrown : List.of(failure, streamed)) {
			for (Throwable t = thrown; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
				assertThat(t.toString()).doesNotContain(KEY);
				assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY);
				for (Throwable suppressed : t.getSuppressed()) {
					assertThat(suppressed.toString()).doesNotContain(KEY);
				}
			}
		}
		provider.verify(2, requestsFor("claude-a"));
	}

	private static String text(List<ChatResponse> chunks) {
		StringBuilder text = new StringBuilder();
		chunks.forEach((chunk) -> text.append(chunk.getResult().getOutput().getText()));
		return text.toString();
	}

}

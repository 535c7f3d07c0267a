package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import io.github.aifallback.chat.openai.OpenAiTestAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatOptions;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static io.github.aifallback.chat.OpenAiStubs.sse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streaming with fallback over real HTTP: WireMock serves real SSE, a raw socket server
 * cuts streams and sees connections close.
 */
class StreamingHttpTests {

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	private final KeptAnswers kept = new KeptAnswers(java.time.Clock.systemUTC());

	@org.junit.jupiter.api.BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(provider);
	}

	private ResilientChatClient client(String primaryUrl) {
		return ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "model-a",
					OpenAiEntryModel.create(primaryUrl, "k", "model-a", Duration.ofSeconds(5))))
			.entry(ChainEntry.of("secondary", "model-b",
					OpenAiEntryModel.create(baseUrl(provider), "k", "model-b", Duration.ofSeconds(5))))
			.retry(RetrySettings.custom().maxAttempts(1).build())
			.firstTokenTimeout(Duration.ofMillis(500))
			.idleTimeout(Duration.ofMillis(500))
			.lastGoodStore(this.kept.store())
			.build();
	}

	private static String text(List<ChatResponse> chunks) {
		StringBuilder text = new StringBuilder();
		chunks.forEach((c) -> text.append(c.getResult().getOutput().getText()));
		return text.toString();
	}

	@Test
	void whenTheStreamSucceedsThenEveryChunkSaysWhoServedAndTheAnswerIsKept() {
		provider.stubFor(completion("model-a").willReturn(sse("model-a", "Hel", "lo")));

		List<ChatResponse> chunks = client(baseUrl(provider)).stream(new Prompt("hi")).collectList().block();

		assertThat(text(chunks)).isEqualTo("Hello");
		assertThat(chunks).allSatisfy((c) -> assertThat(c.getMetadata().<String>get(FallbackMetadata.SERVED_BY))
			.isEqualTo("primary"));
		assertThat(this.kept.stored()).hasSize(1);
		provider.verify(1, requestsFor("model-a"));
	}

	@Test
	void whenTheStatusIsAnErrorBeforeAnyChunkThenTheNextEntryStreams() {
		provider.stubFor(completion("model-a").willReturn(serverError()));
		provider.stubFor(completion("model-b").willReturn(sse("model-b", "from ", "B")));

		List<ChatResponse> chunks = client(baseUrl(provider)).stream(new Prompt("hi")).collectList().block();

		assertThat(text(chunks)).isEqualTo("from B");
		assertThat(chunks.get(0).getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		assertThat(chunks.get(0).getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("SERVER_ERROR (HTTP 500)");
		provider.verify(1, requestsFor("model-a"));
		provider.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenTheFirstTokenStallsThenFirstTokenTimeoutFallsBack() {
		provider.stubFor(completion("model-a").willReturn(sse("model-a", "late").withFixedDelay(5_000)));
		provider.stubFor(completion("model-b").willReturn(sse("model-b", "on time")));

		long started = System.nanoTime();
		List<ChatResponse> chunks = client(baseUrl(provider)).stream(new Prompt("hi")).collectList().block();

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
		assertThat(text(chunks)).isEqualTo("on time");
		assertThat(chunks.get(0).getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("TIMEOUT");
		provider.verify(1, requestsFor("model-a"));
		provider.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenA200StreamCarriesAnErrorEventBeforeAnyTokenThenTheNextEntryStreams() {
		provider.stubFor(completion("model-a").willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/event-stream")
			.withBody("data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":\"server_error\"}}\n\n")));
		provider.stubFor(completion("model-b").willReturn(sse("model-b", "from B")));

		List<ChatResponse> chunks = client(baseUrl(provider)).stream(new Prompt("hi")).collectList().block();

		assertThat(text(chunks)).isEqualTo("from B");
		provider.verify(1, requestsFor("model-a"));
		provider.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenTheConnectionIsCutMidStreamThenOneTypedErrorEndsItWithoutFallbackOrCaching() throws Exception {
		provider.stubFor(completion("model-b").willReturn(sse("model-b", "spliced")));
		try (RawSseServer raw = new RawSseServer(3, 20, true)) {
			StepVerifier.create(client(raw.baseUrl()).stream(new Prompt("hi")))
				.expectNextCount(3)
				.expectErrorSatisfies((error) -> {
					assertThat(error).isInstanceOf(StreamInterruptedException.class);
					StreamInterruptedException interrupted = (StreamInterruptedException) error;
					assertThat(interrupted.getEntry()).isEqualTo("primary");
					assertThat(interrupted.getChunksDelivered()).isEqualTo(3);
					assertThat(interrupted.getCharactersDelivered()).isEqualTo("tok0 tok1 tok2 ".length());
					assertThat(interrupted).hasMessageContaining("incomplete");
				})
				.verify(Duration.ofSeconds(10));
			assertThat(raw.requests).hasValue(1);
		}
		provider.verify(0, requestsFor("model-b"));
		assertThat(this.kept.stored()).isEmpty();
	}

	@Test
	void whenTheStreamIsSlowButSteadyThenItCompletesWithoutAFalseTimeout() throws Exception {
		try (RawSseServer raw = new RawSseServer(6, 150, false)) {
			List<ChatResponse> chunks = client(raw.baseUrl()).stream(new Prompt("hi")).collectList().block();

			assertThat(text(chunks)).isEqualTo("tok0 tok1 tok2 tok3 tok4 tok5 ");
			assertThat(raw.requests).hasValue(1);
		}
		provider.verify(0, requestsFor("model-b"));
	}

	@Test
	void whenAStreamCarriesOptionsThenOnlyForwardedHeadersLeaveAndTheStreamsTagNever() {
		provider.stubFor(completion("model-a").willReturn(sse("model-a", "Hel", "lo")));
		OpenAiEntryModel primary = OpenAiEntryModel.builder()
			.baseUrl(baseUrl(provider))
			.apiKey("k")
			.model("model-a")
			.timeout(Duration.ofSeconds(5))
			.forwardHeaders(List.of("X-Tenant"))
			.build();
		ResilientChatClient client = ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "model-a", primary))
			.build();
		OpenAiChatOptions options = OpenAiChatOptions.builder()
			.customHeaders(Map.of("X-Tenant", "acme", "X-Gateway-Token", "not-for-this-host"))
			.temperature(0.3)
			.build();

		for (int i = 0; i < 2; i++) {
			List<ChatResponse> chunks = client.stream(new Prompt("hi", options)).collectList().block();
			assertThat(text(chunks)).isEqualTo("Hello");
		}

		provider.verify(2, requestsFor("model-a")
			.withHeader("X-Tenant", equalTo("acme"))
			.withHeader("X-Gateway-Token", absent())
			.withHeader("X-AI-Fallback-Stream", absent())
			.withRequestBody(matchingJsonPath("$.temperature",
					equalTo("0.3")))
			.withRequestBody(matchingJsonPath("$.model",
					equalTo("model-a"))));
		assertThat(OpenAiTestAccess.trackedStreams(primary)).as("no call left tracked").isZero();
	}

	@Test
	void whenTheSubscriberCancelsThenTheUpstreamConnectionIsClosed() throws Exception {
		try (RawSseServer raw = new RawSseServer(200, 25, false)) {
			OpenAiEntryModel primary = OpenAiEntryModel.create(raw.baseUrl(), "k", "model-a", Duration.ofSeconds(5));
			ResilientChatClient client = ResilientChatClient.builder()
				.entry(ChainEntry.of("primary", "model-a", primary))
				.entry(ChainEntry.of("secondary", "model-b",
						OpenAiEntryModel.create(baseUrl(provider), "k", "model-b", Duration.ofSeconds(5))))
				.build();

			List<ChatResponse> firstTwo = client.stream(new Prompt("hi")).take(2).collectList().block();

			assertThat(firstTwo).hasSize(2);
			assertThat(raw.closedByClient.await(5, TimeUnit.SECONDS)).as("the server saw the connection end").isTrue();
			assertThat(raw.eventsWritten.get()).isLessThan(200);
			assertThat(raw.requests).hasValue(1);
			assertThat(OpenAiTestAccess.trackedStreams(primary)).as("no call left tracked").isZero();
		}
		provider.verify(0, requestsFor("model-b"));
	}

	@Test
	void whenEveryEntryFailsBeforeTheFirstTokenThenTheLastGoodAnswerIsEmittedMarkedDegraded() {
		provider.stubFor(completion("model-a").inScenario("outage")
			.whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
			.willReturn(sse("model-a", "kept ", "answer"))
			.willSetStateTo("down"));
		provider.stubFor(completion("model-a").inScenario("outage").whenScenarioStateIs("down").willReturn(serverError()));
		provider.stubFor(completion("model-b").willReturn(serverError()));
		ResilientChatClient client = client(baseUrl(provider));
		client.stream(new Prompt("hi")).blockLast();

		List<ChatResponse> degraded = client.stream(new Prompt("hi")).collectList().block();

		assertThat(degraded).singleElement().satisfies((response) -> {
			assertThat(response.getResult().getOutput().getText()).isEqualTo("kept answer");
			assertThat(response.getMetadata().<Boolean>get(FallbackMetadata.DEGRADED)).isTrue();
			assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("cache");
		});
		provider.verify(2, requestsFor("model-a"));
		provider.verify(1, requestsFor("model-b"));
	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.circuit.CircuitSnapshot;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream that ends with neither a finish reason nor {@code [DONE]} was cut, however
 * cleanly its connection closed: never a completed answer nor a success of its entry.
 */
class StreamEndingHttpTests {

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	private final KeptAnswers kept = new KeptAnswers(java.time.Clock.systemUTC());

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(provider);
	}

	private ResilientChatClient client() {
		return ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "model-a",
					OpenAiEntryModel.create(baseUrl(provider), "k", "model-a", Duration.ofSeconds(5))))
			.entry(ChainEntry.of("secondary", "model-b",
					OpenAiEntryModel.create(baseUrl(provider), "k", "model-b", Duration.ofSeconds(5))))
			.retry(RetrySettings.custom().maxAttempts(1).build())
			.lastGoodStore(this.kept.store())
			.build();
	}

	/** Role, then the tokens, then the connection closes: no finish reason, no [DONE]. */
	private static ResponseDefinitionBuilder cut(String model, String... tokens) {
		StringBuilder body = new StringBuilder(OpenAiStubs.sseChunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
		for (String token : tokens) {
			body.append(OpenAiStubs.sseChunk(model, "{\"content\":\"" + token + "\"}", null));
		}
		return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body.toString());
	}

	@Test
	void whenAStreamEndsAfterItsFirstTokenWithNoFinishReasonThenItIsInterrupted() {
		provider.stubFor(completion("model-a").willReturn(cut("model-a", "Hel", "lo")));
		ResilientChatClient client = client();

		StepVerifier.create(client.stream(new Prompt("hi")))
			.expectNextCount(2)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(StreamInterruptedException.class,
					(interrupted) -> {
						assertThat(interrupted.getKind()).isEqualTo(FailureKind.CONNECTION);
						assertThat(interrupted.getCharactersDelivered()).isEqualTo(5);
					}))
			.verify(Duration.ofSeconds(10));

		CircuitSnapshot primary = client.circuitBreaker("primary").snapshot();
		assertThat(primary.successes()).as("not a success of the entry").isZero();
		assertThat(primary.failures()).isEqualTo(1);
		assertThat(this.kept.stored()).as("a cut answer is never kept").isEmpty();
		provider.verify(1, requestsFor("model-a"));
		provider.verify(0, requestsFor("model-b"));
	}

	@Test
	void whenAStreamEndsBeforeItsFirstTokenWithNoFinishReasonThenItIsAConnectionFailureAndTheNextEntryStreams() {
		provider.stubFor(completion("model-a").willReturn(cut("model-a")));
		provider.stubFor(completion("model-b").willReturn(OpenAiStubs.sse("model-b", "from ", "B")));

		List<ChatResponse> chunks = client().stream(new Prompt("hi")).collectList().block(Duration.ofSeconds(10));

		assertThat(chunks).isNotEmpty();
		assertThat(chunks.get(0).getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		assertThat(chunks.get(0).getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("CONNECTION");
		provider.verify(1, requestsFor("model-a"));
		provider.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenAStreamHasAFinishReasonButNoDoneMarkerThenItIsComplete() {
		String body = OpenAiStubs.sseChunk("model-a", "{\"role\":\"assistant\",\"content\":\"\"}", null) + OpenAiStubs.sseChunk("model-a", "{\"content\":\"ok\"}", null)
				+ OpenAiStubs.sseChunk("model-a", "{}", "stop");
		provider.stubFor(completion("model-a")
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body)));
		ResilientChatClient client = client();

		List<ChatResponse> chunks = client.stream(new Prompt("hi")).collectList().block(Duration.ofSeconds(10));

		assertThat(chunks).isNotEmpty();
		assertThat(client.circuitBreaker("primary").snapshot().successes()).isEqualTo(1);
		assertThat(this.kept.stored()).hasSize(1);
	}

}

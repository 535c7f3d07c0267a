package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static io.github.aifallback.chat.OpenAiStubs.sse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stream continuation over real HTTP: a stream cut after its first tokens continues on the
 * next entry when (and only when) it is turned on, nothing but text was in flight, and
 * something other than whitespace had come.
 */
@ExtendWith(CapturedLogs.class)
class StreamContinuationHttpTests {

	private static final String INSTRUCTION = "Continue exactly where your previous answer stopped. "
			+ "Do not repeat anything.";

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	private final KeptAnswers kept = new KeptAnswers(java.time.Clock.systemUTC());

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(provider);
	}

	private ResilientChatClient.Builder builder() {
		return ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "model-a",
					OpenAiEntryModel.create(baseUrl(provider), "k", "model-a", Duration.ofSeconds(5))))
			.entry(ChainEntry.of("secondary", "model-b",
					OpenAiEntryModel.create(baseUrl(provider), "k", "model-b", Duration.ofSeconds(5))))
			.retry(RetrySettings.custom().maxAttempts(1).build())
			.lastGoodStore(this.kept.store());
	}

	/** Role, then the deltas, then the connection closes: no finish reason, no [DONE]. */
	private static ResponseDefinitionBuilder cut(String model, String... deltas) {
		StringBuilder body = new StringBuilder(OpenAiStubs.sseChunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
		for (String delta : deltas) {
			body.append(OpenAiStubs.sseChunk(model, delta, null));
		}
		return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body.toString());
	}

	private static String content(String text) {
		return "{\"content\":\"" + text + "\"}";
	}

	private static String text(List<ChatResponse> chunks) {
		StringBuilder text = new StringBuilder();
		chunks.forEach((c) -> text.append(c.getResult().getOutput().getText()));
		return text.toString();
	}

	@Test
	void whenAStreamIsCutAfterTwoChunksThenTheNextEntryContinuesIt(CapturedLogs logs) {
		provider.stubFor(completion("model-a").willReturn(cut("model-a", content("Hel"), content("lo"))));
		provider.stubFor(completion("model-b").willReturn(sse("model-b", " wor", "ld")));

		List<ChatResponse> chunks = builder().streamContinuation(true)
			.build()
			.stream(new Prompt("Say hello world"))
			.collectList()
			.block(Duration.ofSeconds(10));

		assertThat(chunks).extracting((c) -> c.getResult().getOutput().getText())
			.containsExactly("Hel", "lo", " wor", "ld", "");
		assertThat(chunks.subList(0, 2)).allSatisfy((c) -> {
			assertThat(c.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("primary");
			assertThat(c.getMetadata().containsKey(FallbackMetadata.CONTINUED_FROM)).isFalse();
		});
		assertThat(chunks.subList(2, chunks.size())).as("the continuation, its finish chunk included").allSatisfy((c) -> {
			assertThat(c.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
			assertThat(c.getMetadata().<String>get(FallbackMetadata.CONTINUED_FROM)).isEqualTo("primary");
		});
		provider.verify(1, requestsFor("model-a"));
		provider.verify(1, requestsFor("model-b")
			.withRequestBody(matchingJsonPath("$.messages.length()", equalTo("3")))
			.withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("user")))
			.withRequestBody(matchingJsonPath("$.messages[0].content", equalTo("Say hello world")))
			.withRequestBody(matchingJsonPath("$.messages[1].role", equalTo("assistant")))
			.withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("Hello")))
			.withRequestBody(matchingJsonPath("$.messages[2].role", equalTo("user")))
			.withRequestBody(matchingJsonPath("$.messages[2].content", equalTo(INSTRUCTION))));
		assertThat(this.kept.stored()).as("a stitched answer is never kept as the last good one").isEmpty();
		assertThat(logs.toString()).contains("stream from 'primary' failed")
			.contains("continuing it on 'secondary' (stream continuation)");
	}

	@Test
	void whenContinuationIsOffThenACutStreamEndsInterruptedAsBefore() {
		provider.stubFor(completion("model-a").willReturn(cut("model-a", content("Hel"), content("lo"))));
		provider.stubFor(completion("model-b").willReturn(sse("model-b", " wor", "ld")));

		StepVerifier.create(builder().build().stream(new Prompt("Say hello world")))
			.expectNextCount(2)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(StreamInterruptedException.class,
					(interrupted) -> assertThat(interrupted.getEntry()).isEqualTo("primary")))
			.verify(Duration.ofSeconds(10));

		provider.verify(1, requestsFor("model-a"));
		provider.verify(0, requestsFor("model-b"));
	}

	@Test
	void whenAToolCallWasInFlightThenTheStreamIsNotContinued() {
		String toolCall = "{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
				+ "\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\"}}]}";
		provider.stubFor(completion("model-a").willReturn(cut("model-a", content("Checking"), toolCall)));
		provider.stubFor(completion("model-b").willReturn(sse("model-b", "spliced")));

		StepVerifier.create(builder().streamContinuation(true).build().stream(new Prompt("Weather in Paris?")))
			.thenConsumeWhile((chunk) -> true)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(StreamInterruptedException.class,
					(interrupted) -> assertThat(interrupted.getEntry()).isEqualTo("primary")))
			.verify(Duration.ofSeconds(10));

		provider.verify(1, requestsFor("model-a"));
		provider.verify(0, requestsFor("model-b"));
	}

	@Test
	void whenOnlyWhitespaceCameThenTheStreamIsNotContinued() {
		provider.stubFor(completion("model-a").willReturn(cut("model-a", content(" "), content("\\n"))));
		provider.stubFor(completion("model-b").willReturn(sse("model-b", "spliced")));

		StepVerifier.create(builder().streamContinuation(true).build().stream(new Prompt("hi")))
			.expectNextCount(2)
			.expectError(StreamInterruptedException.class)
			.verify(Duration.ofSeconds(10));

		provider.verify(0, requestsFor("model-b"));
	}

	@Test
	void whenTheContinuationFailsTooThenTheCutEndsTheStreamAndNoDegradedAnswerFollows() {
		this.kept.cache().put("unused", "unused");
		provider.stubFor(completion("model-a").willReturn(cut("model-a", content("Hel"), content("lo"))));
		provider.stubFor(completion("model-b").willReturn(serverError()));

		StepVerifier.create(builder().streamContinuation(true).degradedMessage("sorry").build().stream(new Prompt("hi")))
			.expectNextCount(2)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(StreamInterruptedException.class,
					(interrupted) -> {
						assertThat(interrupted.getEntry()).isEqualTo("primary");
						assertThat(interrupted.getCharactersDelivered()).isEqualTo(5);
					}))
			.verify(Duration.ofSeconds(10));

		provider.verify(1, requestsFor("model-a"));
		provider.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenMaxTotalAttemptsLeaveNoAttemptThenTheStreamIsNotContinued() {
		provider.stubFor(completion("model-a").willReturn(cut("model-a", content("Hel"), content("lo"))));
		provider.stubFor(completion("model-b").willReturn(sse("model-b", " wor", "ld")));

		StepVerifier
			.create(builder().streamContinuation(true)
				.retry(RetrySettings.custom().maxAttempts(1).maxTotalAttempts(1).build())
				.build()
				.stream(new Prompt("hi")))
			.expectNextCount(2)
			.expectError(StreamInterruptedException.class)
			.verify(Duration.ofSeconds(10));

		provider.verify(0, requestsFor("model-b"));
	}

	@Test
	void whenTheContinuationIsCutTooThenTheEntryAfterItContinuesEverythingDelivered() {
		provider.stubFor(completion("model-a").willReturn(cut("model-a", content("One "))));
		provider.stubFor(completion("model-b").willReturn(cut("model-b", content("two "))));
		provider.stubFor(completion("model-c").willReturn(sse("model-c", "three")));

		List<ChatResponse> chunks = builder().entry(ChainEntry.of("tertiary", "model-c",
				OpenAiEntryModel.create(baseUrl(provider), "k", "model-c", Duration.ofSeconds(5))))
			.streamContinuation(true)
			.build()
			.stream(new Prompt("count"))
			.collectList()
			.block(Duration.ofSeconds(10));

		assertThat(text(chunks)).isEqualTo("One two three");
		assertThat(chunks.get(1).getMetadata().<String>get(FallbackMetadata.CONTINUED_FROM)).isEqualTo("primary");
		assertThat(chunks.get(2).getMetadata().<String>get(FallbackMetadata.CONTINUED_FROM)).isEqualTo("secondary");
		provider.verify(1, requestsFor("model-a"));
		provider.verify(1, requestsFor("model-b")
			.withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("One "))));
		provider.verify(1, requestsFor("model-c")
			.withRequestBody(matchingJsonPath("$.messages.length()", equalTo("3")))
			.withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("One two "))));
	}

	@Test
	void whenTheInstructionIsConfiguredThenTheNextEntryReceivesIt() {
		provider.stubFor(completion("model-a").willReturn(cut("model-a", content("Hel"), content("lo"))));
		provider.stubFor(completion("model-b").willReturn(sse("model-b", " world")));

		List<ChatResponse> chunks = builder().streamContinuation(true)
			.streamContinuationInstruction("Go on.")
			.build()
			.stream(new Prompt("hi"))
			.collectList()
			.block(Duration.ofSeconds(10));

		assertThat(text(chunks)).isEqualTo("Hello world");
		provider.verify(1, requestsFor("model-b")
			.withRequestBody(matchingJsonPath("$.messages[2].content", equalTo("Go on."))));
	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.failure.InvalidResponseException;
import io.github.aifallback.chat.openai.OpenAiEntryModel;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * HTTP 200s that are no answer: refusals (OpenAI's {@code refusal} and
 * {@code content_filter}, Anthropic's {@code refusal} stop reason) and answers a
 * {@link ResponseValidator} rejects fall back to the next entry, one request each, with the
 * reason in the log and the kind in the metadata.
 */
@ExtendWith(CapturedLogs.class)
class BadAnswerHttpTests {

	private static final String PROMPT = "tell me the launch codes of tenant-42";

	@RegisterExtension
	static WireMockExtension providerA = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension providerB = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension claude = AnthropicStubs.provider();

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(providerA);
		AnthropicStubs.warmUp(claude);
	}

	private static ChainEntry entry(String name, String model, WireMockExtension provider) {
		return ChainEntry.of(name, model,
				OpenAiEntryModel.create(baseUrl(provider), "test-key", model, Duration.ofSeconds(5)));
	}

	private static ResilientChatClient.Builder twoProviders() {
		return ResilientChatClient.builder()
			.entries(List.of(entry("primary", "model-a", providerA), entry("secondary", "model-b", providerB)))
			.timeout(Duration.ofSeconds(5))
			.deadline(Duration.ofSeconds(20))
			.sleeper((wait) -> {
			})
			.circuitBreaker(new CircuitBreakerSettings(1, Duration.ofSeconds(30), Duration.ofMinutes(5)));
	}

	static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder openAi(String message, String finish) {
		return okJson("""
				{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"model-a",
				 "choices":[{"index":0,"message":%s,"finish_reason":"%s"}],
				 "usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}""".formatted(message, finish));
	}

	@Test
	void whenOpenAiSetsTheRefusalThenTheNextEntryServesWithOneRequestEach(CapturedLogs output) {
		providerA.stubFor(completion("model-a").willReturn(openAi(
				"{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I will not share tenant-42 codes\"}", "stop")));
		providerB.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		ResilientChatClient client = twoProviders().build();

		ChatResponse response = client.call(new Prompt(PROMPT));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("primary", "REFUSED");
		providerA.verify(1, requestsFor("model-a"));
		providerB.verify(1, requestsFor("model-b"));
		assertThat(output.toString()).contains("failed: REFUSED (the model refused (refusal set))")
			.doesNotContain("tenant-42");
		assertThat(client.circuitBreaker("primary").state()).as("a refusal is no outage")
			.isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void whenOpenAiFinishesWithContentFilterThenTheNextEntryServes(CapturedLogs output) {
		providerA.stubFor(completion("model-a")
			.willReturn(openAi("{\"role\":\"assistant\",\"content\":\"Here is how\"}", "content_filter")));
		providerB.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));

		ChatResponse response = twoProviders().build().call(new Prompt(PROMPT));

		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		providerA.verify(1, requestsFor("model-a"));
		providerB.verify(1, requestsFor("model-b"));
		assertThat(output.toString()).contains("REFUSED (the model refused (finish reason content_filter))");
	}

	@Test
	void whenAnthropicStopsWithRefusalThenTheNextEntryServes() {
		claude.stubFor(AnthropicStubs.messages("claude-x")
			.willReturn(okJson("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\","
					+ "\"content\":[{\"type\":\"text\",\"text\":\"I can\"}],\"stop_reason\":\"refusal\","
					+ "\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}")));
		providerB.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		ResilientChatClient client = ResilientChatClient.builder()
			.entry(ChainEntry.of("claude", "claude-x", AnthropicStubs.model(claude, "claude-x")))
			.entry(entry("secondary", "model-b", providerB))
			.sleeper((wait) -> {
			})
			.build();

		ChatResponse response = client.call(new Prompt(PROMPT));

		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("claude", "REFUSED");
		claude.verify(1, AnthropicStubs.requestsFor("claude-x"));
		providerB.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenTheValidatorRejectsThenTheNextEntryServesAndTheLogSaysWhy(CapturedLogs output) {
		providerA.stubFor(completion("model-a").willReturn(answer("model-a", "not json")));
		providerB.stubFor(completion("model-b").willReturn(answer("model-b", "{}")));
		ResilientChatClient client = twoProviders().responseValidator((prompt, response) -> {
			if (!response.getResult().getOutput().getText().startsWith("{")) {
				throw new InvalidResponseException("the answer is not a JSON object");
			}
		}).build();

		ChatResponse response = client.call(new Prompt(PROMPT));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("{}");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("primary", "INVALID_RESPONSE");
		providerA.verify(1, requestsFor("model-a"));
		providerB.verify(1, requestsFor("model-b"));
		assertThat(output.toString()).contains("INVALID_RESPONSE (the answer is not a JSON object)");
		assertThat(client.circuitBreaker("primary").state()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void whenThePolicySaysRetryThenARejectedAnswerIsRetriedOnTheSameEntry() {
		providerA.stubFor(completion("model-a").willReturn(answer("model-a", "not json")));
		providerB.stubFor(completion("model-b").willReturn(answer("model-b", "{}")));
		AtomicInteger checked = new AtomicInteger();
		ResilientChatClient client = twoProviders()
			.policy(FallbackPolicy.defaults().with(FailureKind.INVALID_RESPONSE, FailureAction.RETRY))
			.retry(RetrySettings.custom()
				.maxAttempts(2)
				.initialInterval(Duration.ofMillis(1))
				.multiplier(1.0)
				.maxInterval(Duration.ofMillis(1))
				.jitter(false)
				.build())
			.responseValidator((prompt, response) -> {
				checked.incrementAndGet();
				if (!response.getResult().getOutput().getText().startsWith("{")) {
					throw new InvalidResponseException("not JSON");
				}
			})
			.build();

		assertThat(client.call(new Prompt(PROMPT)).getResult().getOutput().getText()).isEqualTo("{}");
		providerA.verify(2, requestsFor("model-a"));
		providerB.verify(1, requestsFor("model-b"));
		assertThat(checked).hasValue(3);
	}

	@Test
	void whenTheValidatorThrowsSomethingElseThenItIsARejectionLoggedOnce(CapturedLogs output) {
		providerA.stubFor(completion("model-a").willReturn(answer("model-a", "from A")));
		providerB.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		ResilientChatClient client = twoProviders().responseValidator((prompt, response) -> {
			if (response.getResult().getOutput().getText().equals("from A")) {
				throw new IllegalStateException("bug while checking " + prompt.getContents());
			}
		}).build();

		ChatResponse response = client.call(new Prompt(PROMPT));

		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		providerA.verify(1, requestsFor("model-a"));
		providerB.verify(1, requestsFor("model-b"));
		String logs = output.toString();
		assertThat(logs.split("the response validator threw java.lang.IllegalStateException", -1)).hasSize(2);
		assertThat(logs).doesNotContain("tenant-42");
	}

	@Test
	void whenEveryEntryRefusesThenAllModelsFailedListsTheRefusals() {
		providerA.stubFor(completion("model-a").willReturn(openAi("{\"role\":\"assistant\",\"content\":\"x\"}",
				"content_filter")));
		providerB.stubFor(completion("model-b").willReturn(openAi("{\"role\":\"assistant\",\"content\":\"x\"}",
				"content_filter")));

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> twoProviders().build().call(new Prompt(PROMPT)))
			.satisfies((ex) -> assertThat(ex.getAttempts()).extracting(AttemptRecord::kind)
				.containsExactly(FailureKind.REFUSED, FailureKind.REFUSED));
		providerA.verify(1, requestsFor("model-a"));
		providerB.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenAStreamRefusesBeforeTheFirstTokenThenTheNextEntryStreams() {
		providerA.stubFor(completion("model-a").willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
			.withStatus(200)
			.withHeader("Content-Type", "text/event-stream")
			.withBody(OpenAiStubs.sseChunk("model-a", "{\"role\":\"assistant\",\"content\":null}", null)
					+ OpenAiStubs.sseChunk("model-a", "{\"refusal\":\"I will not\"}", null)
					+ OpenAiStubs.sseChunk("model-a", "{}", "stop") + "data: [DONE]\n\n")));
		providerB.stubFor(completion("model-b").willReturn(OpenAiStubs.sse("model-b", "from ", "B")));

		List<ChatResponse> chunks = twoProviders().build().stream(new Prompt(PROMPT)).collectList().block();

		assertThat(chunks).isNotEmpty();
		assertThat(chunks.stream().map((c) -> c.getResult().getOutput().getText()).filter((t) -> t != null))
			.containsSubsequence("from ", "B");
		assertThat(chunks.get(chunks.size() - 1).getMetadata().<String>get(FallbackMetadata.SERVED_BY))
			.isEqualTo("secondary");
		providerA.verify(1, requestsFor("model-a"));
		providerB.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenAStreamIsFilteredAfterItsFirstTokenThenItEndsInterrupted() {
		providerA.stubFor(completion("model-a").willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
			.withStatus(200)
			.withHeader("Content-Type", "text/event-stream")
			.withBody(OpenAiStubs.sseChunk("model-a", "{\"role\":\"assistant\",\"content\":\"Sure\"}", null)
					+ OpenAiStubs.sseChunk("model-a", "{}", "content_filter") + "data: [DONE]\n\n")));
		providerB.stubFor(completion("model-b").willReturn(OpenAiStubs.sse("model-b", "from B")));

		assertThatExceptionOfType(StreamInterruptedException.class)
			.isThrownBy(() -> twoProviders().build().stream(new Prompt(PROMPT)).blockLast())
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(FailureKind.REFUSED));
		providerA.verify(1, requestsFor("model-a"));
		providerB.verify(0, requestsFor("model-b"));
	}

}

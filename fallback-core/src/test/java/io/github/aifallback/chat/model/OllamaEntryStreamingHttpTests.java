package io.github.aifallback.chat.model;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.OllamaStubs;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.RetrySettings;
import io.github.aifallback.chat.StreamInterruptedException;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static io.github.aifallback.chat.OllamaStubs.chat;
import static io.github.aifallback.chat.OllamaStubs.error;
import static io.github.aifallback.chat.OllamaStubs.requestsFor;
import static io.github.aifallback.chat.OllamaStubs.stream;
import static io.github.aifallback.chat.OllamaStubs.streamWithoutDone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The real {@code OllamaChatModel} streaming NDJSON from an emulated Ollama, wrapped in a
 * {@link ChatModelEntryModel}: failures before the first token fall back to an OpenAI entry
 * (and back), a stream that ends without {@code done: true} is a cut stream, with the exact
 * number of requests each provider received.
 */
class OllamaEntryStreamingHttpTests {

	@RegisterExtension
	static WireMockExtension ollama = OllamaStubs.provider();

	@RegisterExtension
	static WireMockExtension openAi = OpenAiStubs.provider();

	@BeforeAll
	static void warmUp() {
		OllamaStubs.warmUp(ollama);
		OpenAiStubs.warmUp(openAi);
	}

	private static EntryModel ollamaEntry() {
		return OllamaStubs.entryModel(OllamaStubs.baseUrl(ollama), "llama");
	}

	private static EntryModel openAiEntry() {
		return OpenAiEntryModel.create(OpenAiStubs.baseUrl(openAi), "k", "gpt", Duration.ofSeconds(5));
	}

	private static ResilientChatClient client(ChainEntry first, ChainEntry second) {
		return ResilientChatClient.builder()
			.entry(first)
			.entry(second)
			.retry(RetrySettings.custom()
				.maxAttempts(2)
				.initialInterval(Duration.ZERO)
				.multiplier(1.0)
				.maxInterval(Duration.ofSeconds(1))
				.jitter(false)
				.build())
			.firstTokenTimeout(Duration.ofMillis(500))
			.idleTimeout(Duration.ofMillis(500))
			.build();
	}

	private static ResilientChatClient ollamaThenOpenAi() {
		return client(ChainEntry.of("local", "llama", ollamaEntry()), ChainEntry.of("cloud", "gpt", openAiEntry()));
	}

	private static String text(List<ChatResponse> chunks) {
		StringBuilder text = new StringBuilder();
		chunks.forEach((chunk) -> text.append(chunk.getResult().getOutput().getText()));
		return text.toString();
	}

	private static List<String> failedAttempts(List<ChatResponse> chunks) {
		return chunks.get(0).getMetadata().get(FallbackMetadata.FAILED_ATTEMPTS);
	}

	@Test
	void whenOllamaStreamsToDoneThenItServesEveryChunk() {
		ollama.stubFor(chat("llama", true).willReturn(stream("llama", "Hel", "lo")));

		List<ChatResponse> chunks = ollamaThenOpenAi().stream(new Prompt("hi")).collectList().block();

		assertThat(text(chunks)).isEqualTo("Hello");
		assertThat(chunks).allSatisfy((chunk) -> assertThat(chunk.getMetadata().<String>get(FallbackMetadata.SERVED_BY))
			.isEqualTo("local"));
		assertThat(chunks.get(chunks.size() - 1).getResult().getMetadata().getFinishReason()).isEqualTo("stop");
		ollama.verify(1, requestsFor("llama"));
		openAi.verify(0, OpenAiStubs.requestsFor("gpt"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "500|internal error|SERVER_ERROR|2", "429|too many requests|RATE_LIMITED|2",
			"404|model 'llama' not found|MODEL_NOT_FOUND|1", "400|invalid options|BAD_REQUEST|1" })
	void whenOllamaFailsBeforeAnyTokenThenTheOpenAiEntryStreams(int status, String message, String kind,
			int ollamaRequests) {
		ollama.stubFor(chat("llama", true).willReturn(error(status, message)));
		openAi.stubFor(OpenAiStubs.completion("gpt").willReturn(OpenAiStubs.sse("gpt", "from ", "cloud")));

		List<ChatResponse> chunks = ollamaThenOpenAi().stream(new Prompt("hi")).collectList().block();

		assertThat(text(chunks)).isEqualTo("from cloud");
		assertThat(failedAttempts(chunks)).hasSize(ollamaRequests)
			.allSatisfy((attempt) -> assertThat(attempt).contains(kind).contains("HTTP " + status));
		ollama.verify(ollamaRequests, requestsFor("llama"));
		openAi.verify(1, OpenAiStubs.requestsFor("gpt"));
	}

	@Test
	void whenTheDoneLineHasNoTokenCountsThenTheStreamIsStillWhole() {
		ollama.stubFor(chat("llama", true).willReturn(OllamaStubs.streamWithoutCounts("llama", "Hel", "lo")));

		List<ChatResponse> chunks = ollamaThenOpenAi().stream(new Prompt("hi")).collectList().block();

		assertThat(text(chunks)).isEqualTo("Hello");
		assertThat(chunks.get(0).getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("local");
		ollama.verify(1, requestsFor("llama"));
		openAi.verify(0, OpenAiStubs.requestsFor("gpt"));
	}

	@Test
	void whenTheOllamaStreamEndsWithNoLineAtAllThenItIsRetriedAndTheOpenAiEntryStreams() {
		ollama.stubFor(chat("llama", true).willReturn(streamWithoutDone("llama")));
		openAi.stubFor(OpenAiStubs.completion("gpt").willReturn(OpenAiStubs.sse("gpt", "from cloud")));

		List<ChatResponse> chunks = ollamaThenOpenAi().stream(new Prompt("hi")).collectList().block();

		assertThat(text(chunks)).isEqualTo("from cloud");
		assertThat(failedAttempts(chunks)).hasSize(2).allSatisfy((attempt) -> assertThat(attempt).contains("CONNECTION"));
		ollama.verify(2, requestsFor("llama"));
	}

	@Test
	void whenTheOllamaStreamEndsWithoutDoneAfterTokensThenTheStreamIsReportedCut() {
		ollama.stubFor(chat("llama", true).willReturn(streamWithoutDone("llama", "Hel", "lo")));

		List<ChatResponse> received = new java.util.ArrayList<>();
		assertThatExceptionOfType(StreamInterruptedException.class)
			.isThrownBy(() -> ollamaThenOpenAi().stream(new Prompt("hi")).doOnNext(received::add).blockLast())
			.satisfies((ex) -> assertThat(ex.getKind()).isEqualTo(FailureKind.CONNECTION));
		assertThat(text(received)).isEqualTo("Hello");
		ollama.verify(1, requestsFor("llama"));
		openAi.verify(0, OpenAiStubs.requestsFor("gpt"));
	}

	@Test
	void whenOllamaHangsBeforeTheFirstTokenThenTheChainAbandonsItAndTheOpenAiEntryStreams() {
		ollama.stubFor(chat("llama", true).willReturn(stream("llama", "too late").withFixedDelay(5_000)));
		openAi.stubFor(OpenAiStubs.completion("gpt").willReturn(OpenAiStubs.sse("gpt", "on time")));
		ResilientChatClient client = client(new ChainEntry("local", "llama", ollamaEntry(), null, 1),
				ChainEntry.of("cloud", "gpt", openAiEntry()));

		long started = System.nanoTime();
		List<ChatResponse> chunks = client.stream(new Prompt("hi")).collectList().block();

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
		assertThat(text(chunks)).isEqualTo("on time");
		assertThat(failedAttempts(chunks)).singleElement().asString().contains("TIMEOUT");
		ollama.verify(1, requestsFor("llama"));
	}

	@Test
	void whenTheOpenAiEntryFailsThenOllamaStreams() {
		openAi.stubFor(OpenAiStubs.completion("gpt").willReturn(serverError()));
		ollama.stubFor(chat("llama", true).willReturn(stream("llama", "from ", "llama")));

		List<ChatResponse> chunks = client(ChainEntry.of("cloud", "gpt", openAiEntry()),
				ChainEntry.of("local", "llama", ollamaEntry()))
			.stream(new Prompt("hi"))
			.collectList()
			.block();

		assertThat(text(chunks)).isEqualTo("from llama");
		assertThat(chunks.get(0).getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("local");
		openAi.verify(2, OpenAiStubs.requestsFor("gpt"));
		ollama.verify(1, requestsFor("llama"));
	}

}

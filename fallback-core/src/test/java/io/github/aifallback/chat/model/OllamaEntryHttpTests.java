package io.github.aifallback.chat.model;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.AllModelsFailedException;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.OllamaStubs;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.RetrySettings;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static io.github.aifallback.chat.OllamaStubs.answer;
import static io.github.aifallback.chat.OllamaStubs.chat;
import static io.github.aifallback.chat.OllamaStubs.error;
import static io.github.aifallback.chat.OllamaStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The real {@code OllamaChatModel} of spring-ai-ollama, wrapped in a
 * {@link ChatModelEntryModel}, against an emulated Ollama, blocking calls: each kind of
 * failure falls back to an OpenAI entry (and an OpenAI entry falls back to Ollama), with
 * the exact number of requests each received.
 */
class OllamaEntryHttpTests {

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

	/** Two attempts per entry, no wait between them: retried kinds show as two requests. */
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
			.build();
	}

	private static ResilientChatClient ollamaThenOpenAi() {
		return client(ChainEntry.of("local", "llama", ollamaEntry()), ChainEntry.of("cloud", "gpt", openAiEntry()));
	}

	private static List<String> failedAttempts(ChatResponse response) {
		return response.getMetadata().get(FallbackMetadata.FAILED_ATTEMPTS);
	}

	@Test
	void whenOllamaAnswersThenItServesWithItsFinishReason() {
		ollama.stubFor(chat("llama", false).willReturn(answer("llama", "hello from llama")));

		ChatResponse response = ollamaThenOpenAi().call(new Prompt("hi"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("hello from llama");
		assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("stop");
		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("local");
		ollama.verify(1, requestsFor("llama"));
		openAi.verify(0, OpenAiStubs.requestsFor("gpt"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "500|internal error|SERVER_ERROR|2", "503|loading model|SERVER_ERROR|2",
			"429|too many requests|RATE_LIMITED|2", "404|model 'llama' not found|MODEL_NOT_FOUND|1",
			"400|invalid options|BAD_REQUEST|1", "401|unauthorized|AUTH|1" })
	void whenOllamaFailsThenTheOpenAiEntryServes(int status, String message, String kind, int ollamaRequests) {
		ollama.stubFor(chat("llama", false).willReturn(error(status, message)));
		openAi.stubFor(OpenAiStubs.completion("gpt").willReturn(OpenAiStubs.answer("gpt", "from the cloud")));

		ChatResponse response = ollamaThenOpenAi().call(new Prompt("hi"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from the cloud");
		assertThat(failedAttempts(response)).hasSize(ollamaRequests)
			.allSatisfy((attempt) -> assertThat(attempt).contains(kind).contains("HTTP " + status));
		ollama.verify(ollamaRequests, requestsFor("llama"));
		openAi.verify(1, OpenAiStubs.requestsFor("gpt"));
	}

	@Test
	void whenOllamaAnswersWithAnUnreadableBodyThenTheOpenAiEntryServes() {
		ollama.stubFor(chat("llama", false).willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{not json")));
		openAi.stubFor(OpenAiStubs.completion("gpt").willReturn(OpenAiStubs.answer("gpt", "from the cloud")));

		ChatResponse response = ollamaThenOpenAi().call(new Prompt("hi"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from the cloud");
		assertThat(failedAttempts(response)).singleElement().asString().contains("INVALID_RESPONSE");
		ollama.verify(1, requestsFor("llama"));
	}

	@Test
	void whenOllamaIsDownThenItIsRetriedOnceAndTheOpenAiEntryServes() {
		EntryModel down = OllamaStubs.entryModel("http://127.0.0.1:1", "llama");
		openAi.stubFor(OpenAiStubs.completion("gpt").willReturn(OpenAiStubs.answer("gpt", "from the cloud")));

		ChatResponse response = client(ChainEntry.of("local", "llama", down), ChainEntry.of("cloud", "gpt", openAiEntry()))
			.call(new Prompt("hi"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from the cloud");
		assertThat(failedAttempts(response)).hasSize(2).allSatisfy((attempt) -> assertThat(attempt).contains("CONNECTION"));
	}

	@Test
	void whenOllamaHangsThenTheChainAbandonsItAtTheEntryTimeout() {
		ollama.stubFor(chat("llama", false).willReturn(answer("llama", "too late").withFixedDelay(5_000)));
		openAi.stubFor(OpenAiStubs.completion("gpt").willReturn(OpenAiStubs.answer("gpt", "from the cloud")));
		ResilientChatClient client = client(
				new ChainEntry("local", "llama", ollamaEntry(), Duration.ofMillis(300), 1),
				ChainEntry.of("cloud", "gpt", openAiEntry()));

		long started = System.nanoTime();
		ChatResponse response = client.call(new Prompt("hi"));

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
		assertThat(response.getResult().getOutput().getText()).isEqualTo("from the cloud");
		assertThat(failedAttempts(response)).singleElement().asString().contains("TIMEOUT");
		ollama.verify(1, requestsFor("llama"));
	}

	@Test
	void whenTheOpenAiEntryFailsThenOllamaServes() {
		openAi.stubFor(OpenAiStubs.completion("gpt").willReturn(serverError()));
		ollama.stubFor(chat("llama", false).willReturn(answer("llama", "from llama")));

		ChatResponse response = client(ChainEntry.of("cloud", "gpt", openAiEntry()),
				ChainEntry.of("local", "llama", ollamaEntry()))
			.call(new Prompt("hi"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from llama");
		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("local");
		openAi.verify(2, OpenAiStubs.requestsFor("gpt"));
		ollama.verify(1, requestsFor("llama"));
	}

	@Test
	void whenOllamaIsTheLastEntryAndFailsThenTheErrorSaysWhatOllamaSaid() {
		openAi.stubFor(OpenAiStubs.completion("gpt").willReturn(serverError()));
		ollama.stubFor(chat("llama", false).willReturn(OllamaStubs.modelNotFound("llama")));
		ResilientChatClient client = client(ChainEntry.of("cloud", "gpt", openAiEntry()),
				ChainEntry.of("local", "llama", ollamaEntry()));

		assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> client.call(new Prompt("hi")))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("MODEL_NOT_FOUND"));
		ollama.verify(1, requestsFor("llama"));
	}

}

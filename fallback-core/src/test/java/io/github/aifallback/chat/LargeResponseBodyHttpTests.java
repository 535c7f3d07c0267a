package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.anthropic.AnthropicEntryModel;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 22, item 4: a successful body larger than the entry's bound fails the attempt as an
 * invalid response (no retry: the same gateway would send it again) instead of being read
 * whole; the next entry serves. Streams are not bounded this way.
 */
class LargeResponseBodyHttpTests {

	@RegisterExtension
	static WireMockExtension openAi = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension anthropic = AnthropicStubs.provider();

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(openAi);
		AnthropicStubs.warmUp(anthropic);
	}

	/** A valid answer padded past the bound with a long text. */
	private static String padded(int bytes) {
		return "x".repeat(bytes);
	}

	private static OpenAiEntryModel openAi(String model, long maxBytes) {
		return OpenAiEntryModel.builder()
			.baseUrl(OpenAiStubs.baseUrl(openAi))
			.apiKey("k")
			.model(model)
			.timeout(Duration.ofSeconds(10))
			.maxResponseBytes(maxBytes)
			.build();
	}

	private static ResilientChatClient chain(EntryModel first, EntryModel second) {
		return ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "m", first))
			.entry(ChainEntry.of("secondary", "m", second))
			.sleeper((duration) -> {
			})
			.build();
	}

	@Test
	void whenAnOpenAiGatewayAnswersWithABodyOverTheBoundThenTheAttemptIsAnInvalidResponseAndTheNextEntryServes() {
		openAi.stubFor(OpenAiStubs.completion("big").willReturn(OpenAiStubs.answer("big", padded(64 * 1024))));
		openAi.stubFor(OpenAiStubs.completion("small").willReturn(OpenAiStubs.answer("small", "fine")));

		ChatResponse response = chain(openAi("big", 16 * 1024), openAi("small", 16 * 1024))
			.call(new Prompt("hi"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("fine");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("INVALID_RESPONSE");
		openAi.verify(1, OpenAiStubs.requestsFor("big"));
	}

	@Test
	void whenTheBodyHasNoLengthAndGoesOnPastTheBoundThenItIsCutThere() {
		openAi.stubFor(OpenAiStubs.completion("big")
			.willReturn(OpenAiStubs.answer("big", padded(64 * 1024)).withChunkedDribbleDelay(4, 1)));
		openAi.stubFor(OpenAiStubs.completion("small").willReturn(OpenAiStubs.answer("small", "fine")));

		ChatResponse response = chain(openAi("big", 16 * 1024), openAi("small", 16 * 1024))
			.call(new Prompt("hi"));

		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("INVALID_RESPONSE");
	}

	@Test
	void whenAnAnthropicGatewayAnswersWithABodyOverTheBoundThenTheAttemptIsAnInvalidResponse() {
		anthropic.stubFor(AnthropicStubs.messages("claude-big")
			.willReturn(AnthropicStubs.answer("claude-big", padded(64 * 1024))));
		openAi.stubFor(OpenAiStubs.completion("small").willReturn(OpenAiStubs.answer("small", "fine")));
		AnthropicEntryModel big = AnthropicEntryModel.builder()
			.baseUrl(AnthropicStubs.baseUrl(anthropic))
			.apiKey("k")
			.model("claude-big")
			.timeout(Duration.ofSeconds(10))
			.maxResponseBytes(16 * 1024)
			.build();

		ChatResponse response = chain(big, openAi("small", 16 * 1024)).call(new Prompt("hi"));

		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("INVALID_RESPONSE");
		anthropic.verify(1, AnthropicStubs.requestsFor("claude-big"));
	}

	@Test
	void whenABodyIsUnderTheBoundThenItIsServed() {
		openAi.stubFor(OpenAiStubs.completion("big").willReturn(OpenAiStubs.answer("big", padded(8 * 1024))));

		ChatResponse response = chain(openAi("big", 16 * 1024), openAi("small", 16 * 1024))
			.call(new Prompt("hi"));

		assertThat(response.getResult().getOutput().getText()).hasSize(8 * 1024);
	}

	@Test
	void whenAStreamIsLongerThanTheBoundThenItIsNotCut() {
		String[] tokens = new String[64];
		java.util.Arrays.fill(tokens, padded(512));
		openAi.stubFor(OpenAiStubs.completion("big").willReturn(OpenAiStubs.sse("big", tokens)));

		List<ChatResponse> chunks = chain(openAi("big", 16 * 1024), openAi("small", 16 * 1024))
			.stream(new Prompt("hi"))
			.collectList()
			.block();

		assertThat(chunks).allSatisfy((chunk) -> assertThat(chunk.getMetadata().<String>get(FallbackMetadata.SERVED_BY))
			.isEqualTo("primary"));
	}

}

package io.github.aifallback.chat;

import java.util.List;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.entry.FinishReason;
import io.github.aifallback.chat.model.ChatModelEntryModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Issue 22, item 1: with every adapter over real HTTP (OpenAI, Anthropic, an Ollama
 * {@code ChatModel} bean), an answer that stopped normally in its vendor's words is kept as
 * the last good one and served when the chain fails later; a truncated one is never kept;
 * the response says why the model stopped, normalised and raw, fresh and degraded.
 */
class FinishReasonAcrossVendorsHttpTests {

	@RegisterExtension
	static WireMockExtension openAi = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension anthropic = AnthropicStubs.provider();

	@RegisterExtension
	static WireMockExtension ollama = OllamaStubs.provider();

	@BeforeAll
	static void warmUp() {
		ThreeVendors.warmUp(openAi, anthropic, ollama);
	}

	private final MutableClock clock = new MutableClock();

	private final KeptAnswers kept = new KeptAnswers(this.clock);

	private ResilientChatClient chain() {
		return ThreeVendors.chain(openAi, anthropic, ollama)
			.clock(this.clock)
			.sleeper((duration) -> {
			})
			.lastGoodStore(this.kept.store())
			.build();
	}

	private static void everyVendorFails() {
		openAi.resetAll();
		anthropic.resetAll();
		ollama.resetAll();
		openAi.stubFor(OpenAiStubs.completion("gpt-a").willReturn(serverError()));
		anthropic.stubFor(AnthropicStubs.messages("claude-a").willReturn(serverError()));
		ollama.stubFor(OllamaStubs.chat("llama-a").willReturn(serverError()));
	}

	/** The vendor that answers, how it says "done", and what it says for a cut answer. */
	static Stream<Arguments> vendors() {
		return Stream.of(Arguments.of("openai", "STOP"), Arguments.of("anthropic", "end_turn"),
				Arguments.of("ollama", "stop"));
	}

	private static void onlyThisVendorAnswers(String vendor, String text, String finishReason) {
		everyVendorFails();
		switch (vendor) {
			case "openai" -> openAi.stubFor(OpenAiStubs.completion("gpt-a").willReturn(okJson("""
					{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-a",
					 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"%s"}],
					 "usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}"""
				.formatted(text, finishReason.toLowerCase(java.util.Locale.ROOT)))));
			case "anthropic" -> anthropic.stubFor(AnthropicStubs.messages("claude-a").willReturn(okJson(
					"{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-a\",\"content\":"
							+ "[{\"type\":\"text\",\"text\":\"" + text + "\"}],\"stop_reason\":\"" + finishReason
							+ "\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}")));
			default -> ollama.stubFor(OllamaStubs.chat("llama-a").willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody(OllamaStubs.last("llama-a", text).replace("\"done_reason\":\"stop\"",
						"\"done_reason\":\"" + finishReason + "\""))));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("vendors")
	void whenAVendorAnswersWholeInItsOwnWordsThenTheAnswerIsServedLaterWhenEveryEntryFails(String vendor,
			String done) {
		ResilientChatClient chain = chain();
		onlyThisVendorAnswers(vendor, "the good answer", done);
		ChatResponse fresh = chain.call(new Prompt("What is up?"));
		everyVendorFails();

		ChatResponse degraded = chain.call(new Prompt("What is up?"));

		assertThat(fresh.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo(vendor);
		assertThat(fresh.getMetadata().<FinishReason>get(FallbackMetadata.FINISH_REASON)).isEqualTo(FinishReason.STOP);
		assertThat(fresh.getMetadata().<String>get(FallbackMetadata.RAW_FINISH_REASON)).isEqualToIgnoringCase(done);
		assertThat(degraded.getResult().getOutput().getText()).isEqualTo("the good answer");
		assertThat(degraded.getMetadata().<Boolean>get(FallbackMetadata.DEGRADED)).isTrue();
		assertThat(degraded.getMetadata().<FinishReason>get(FallbackMetadata.FINISH_REASON))
			.isEqualTo(FinishReason.STOP);
	}

	static Stream<Arguments> truncations() {
		return Stream.of(Arguments.of("openai", "length"), Arguments.of("anthropic", "max_tokens"),
				Arguments.of("ollama", "length"));
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("truncations")
	void whenAVendorCutTheAnswerAtItsTokenLimitThenItIsServedButNeverKept(String vendor, String cut) {
		ResilientChatClient chain = chain();
		onlyThisVendorAnswers(vendor, "cut sho", cut);

		ChatResponse fresh = chain.call(new Prompt("What is up?"));

		assertThat(fresh.getResult().getOutput().getText()).isEqualTo("cut sho");
		assertThat(fresh.getMetadata().<FinishReason>get(FallbackMetadata.FINISH_REASON))
			.isEqualTo(FinishReason.LENGTH);
		assertThat(this.kept.stored()).isEmpty();
		everyVendorFails();
		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> chain.call(new Prompt("What is up?")));
	}

	@Test
	void whenAnAnthropicStreamEndsItsTurnThenTheAnswerIsKept() {
		ResilientChatClient chain = chain();
		everyVendorFails();
		anthropic.stubFor(AnthropicStubs.messages("claude-a").willReturn(AnthropicStubs.sse("claude-a", "the ", "answer")));

		List<ChatResponse> chunks = chain.stream(new Prompt("What is up?")).collectList().block();
		everyVendorFails();
		ChatResponse degraded = chain.call(new Prompt("What is up?"));

		assertThat(chunks).anySatisfy((chunk) -> assertThat(chunk.getMetadata().<FinishReason>get(
				FallbackMetadata.FINISH_REASON)).isEqualTo(FinishReason.STOP));
		assertThat(degraded.getResult().getOutput().getText()).isEqualTo("the answer");
		assertThat(degraded.getMetadata().<Boolean>get(FallbackMetadata.DEGRADED)).isTrue();
	}

	@Test
	void whenAChatModelBeanSaysABedrockGuardrailIntervenedThenItIsARefusalAndTheNextEntryServes() {
		ChatModel bedrockLike = (prompt) -> new ChatResponse(List.of(new Generation(new AssistantMessage("[blocked]"),
				ChatGenerationMetadata.builder().finishReason("guardrail_intervened").build())));
		ChatModel answering = (prompt) -> new ChatResponse(List.of(new Generation(new AssistantMessage("fine"),
				ChatGenerationMetadata.builder().finishReason("end_turn").build())));
		ResilientChatClient chain = ResilientChatClient.builder()
			.entry(ChainEntry.of("bedrock", "m", ChatModelEntryModel.of(bedrockLike)))
			.entry(ChainEntry.of("other", "m", ChatModelEntryModel.of(answering)))
			.sleeper((duration) -> {
			})
			.lastGoodStore(this.kept.store())
			.build();

		ChatResponse response = chain.call(new Prompt("What is up?"));

		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("other");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("REFUSED");
		assertThat(this.kept.stored()).hasSize(1);
	}

}

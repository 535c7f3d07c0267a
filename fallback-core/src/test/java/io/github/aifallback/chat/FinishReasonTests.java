package io.github.aifallback.chat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;


import io.github.aifallback.chat.failure.RefusedResponseException;
import io.github.aifallback.chat.entry.FinishReason;
import io.github.aifallback.chat.lastgood.LastGoodAnswer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every vendor's word for why a model stopped, as Spring AI's models pass it on, reads as one
 * {@link FinishReason}; storability and refusals follow the normalised value.
 */
class FinishReasonTests {

	@ParameterizedTest(name = "{0} is {1}")
	@CsvSource({
			// OpenAI (wire values, and the SDK enum names Spring AI 2.0 passes on)
			"stop, STOP", "STOP, STOP", "length, LENGTH", "LENGTH, LENGTH", "tool_calls, TOOL_CALL",
			"TOOL_CALLS, TOOL_CALL", "function_call, TOOL_CALL", "content_filter, CONTENT_FILTER",
			"CONTENT_FILTER, CONTENT_FILTER",
			// Anthropic
			"end_turn, STOP", "max_tokens, LENGTH", "stop_sequence, STOP", "tool_use, TOOL_CALL",
			"refusal, CONTENT_FILTER", "pause_turn, OTHER", "model_context_window_exceeded, LENGTH",
			// Bedrock Converse
			"content_filtered, CONTENT_FILTER", "guardrail_intervened, CONTENT_FILTER",
			// Gemini
			"MAX_TOKENS, LENGTH", "SAFETY, CONTENT_FILTER", "RECITATION, CONTENT_FILTER",
			"BLOCKLIST, CONTENT_FILTER", "PROHIBITED_CONTENT, CONTENT_FILTER", "SPII, CONTENT_FILTER",
			"MALFORMED_FUNCTION_CALL, OTHER", "LANGUAGE, OTHER",
			// Mistral, Ollama and others
			"model_length, LENGTH", "tool-call, TOOL_CALL", "load, OTHER", "something new, OTHER" })
	void whenAVendorSaysWhyItStoppedThenItReadsAsOneReason(String raw, FinishReason expected) {
		assertThat(FinishReason.of(raw)).isEqualTo(expected);
	}

	@Test
	void whenThereIsNoFinishReasonThenThereIsNone() {
		assertThat(FinishReason.of((String) null)).isNull();
		assertThat(FinishReason.of("")).isNull();
		assertThat(FinishReason.of(" ")).isNull();
		assertThat(FinishReason.of("_UNKNOWN")).isNull();
	}

	@ParameterizedTest
	@CsvSource({ "stop", "end_turn", "STOP", "stop_sequence" })
	void whenAnAnswerStoppedNormallyInAnyVendorsWordsThenItIsStorable(String raw) {
		assertThat(LastGoodAnswer.isStorable(response("a whole answer", raw))).isTrue();
	}

	@ParameterizedTest
	@CsvSource({ "length", "max_tokens", "MAX_TOKENS", "pause_turn", "guardrail_intervened", "SAFETY" })
	void whenAnAnswerDidNotStopNormallyInAnyVendorsWordsThenItIsNotStorable(String raw) {
		assertThat(LastGoodAnswer.isStorable(response("a cut answer", raw))).isFalse();
	}

	@ParameterizedTest
	@CsvSource({ "content_filter", "refusal", "content_filtered", "guardrail_intervened", "SAFETY", "RECITATION" })
	void whenAVendorFilteredTheAnswerThenItIsARefusal(String raw) {
		assertThatExceptionOfType(RefusedResponseException.class)
			.isThrownBy(() -> Refusals.check(response("[filtered]", raw)))
			.withMessageContaining(raw.toLowerCase(java.util.Locale.ROOT));
	}

	@ParameterizedTest
	@CsvSource({ "stop", "end_turn", "max_tokens", "tool_use" })
	void whenAVendorDidNotFilterTheAnswerThenItIsNoRefusal(String raw) {
		Refusals.check(response("fine", raw));
	}

	private static ChatResponse response(String text, String finishReason) {
		return new ChatResponse(List.of(new Generation(new AssistantMessage(text),
				ChatGenerationMetadata.builder().finishReason(finishReason).build())));
	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A streamed Anthropic answer whose {@code stop_reason} is {@code refusal} before any text
 * falls back to the next entry, as a blocking refusal does (next to
 * {@code BadAnswerHttpTests}, which covers OpenAI's streamed refusals).
 */
class AnthropicStreamRefusalHttpTests {

	@RegisterExtension
	static WireMockExtension claude = AnthropicStubs.provider();

	@RegisterExtension
	static WireMockExtension secondary = OpenAiStubs.provider();

	@BeforeAll
	static void warmUp() {
		AnthropicStubs.warmUp(claude);
		OpenAiStubs.warmUp(secondary);
	}

	@Test
	void whenAnAnthropicStreamRefusesBeforeTheFirstTokenThenTheNextEntryStreams() {
		claude.stubFor(AnthropicStubs.messages("claude-x")
			.willReturn(AnthropicStubs.events(AnthropicStubs.event("message_start",
					"{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
							+ "\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],\"stop_reason\":null,"
							+ "\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}")
					+ AnthropicStubs.event("message_delta",
							"{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"refusal\","
									+ "\"stop_sequence\":null},\"usage\":{\"output_tokens\":1}}")
					+ AnthropicStubs.event("message_stop", "{\"type\":\"message_stop\"}"))));
		secondary.stubFor(completion("model-b").willReturn(OpenAiStubs.sse("model-b", "from ", "B")));
		ResilientChatClient client = ResilientChatClient.builder()
			.entry(ChainEntry.of("claude", "claude-x", AnthropicStubs.model(claude, "claude-x")))
			.entry(ChainEntry.of("secondary", "model-b",
					OpenAiEntryModel.create(baseUrl(secondary), "test-key", "model-b", Duration.ofSeconds(5))))
			.sleeper((wait) -> {
			})
			.build();

		List<ChatResponse> chunks = client.stream(new Prompt("hello")).collectList().block(Duration.ofSeconds(10));

		assertThat(chunks).isNotEmpty();
		assertThat(chunks.stream().map((chunk) -> chunk.getResult().getOutput().getText()).filter(Objects::nonNull))
			.containsSubsequence("from ", "B");
		ChatResponse last = chunks.get(chunks.size() - 1);
		assertThat(last.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		assertThat(last.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("claude", "REFUSED");
		claude.verify(1, AnthropicStubs.requestsFor("claude-x"));
		secondary.verify(1, requestsFor("model-b"));
	}

}

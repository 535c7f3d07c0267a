package io.github.aifallback.test;

import java.util.List;

import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.beans.factory.annotation.Autowired;

import static io.github.aifallback.test.FallbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Streams through the real starter and clients over server-sent events from the simulator,
 * in OpenAI's and Anthropic's formats.
 */
@FallbackTest(classes = KitTestApplication.class)
class FallbackSimulatorStreamingTests {

	@Autowired
	ResilientChatClient client;

	private List<ChatResponse> stream(String prompt) {
		return this.client.stream(new Prompt(prompt)).collectList().block();
	}

	private static String text(List<ChatResponse> chunks) {
		StringBuilder text = new StringBuilder();
		for (ChatResponse chunk : chunks) {
			if (chunk.getResult() != null && chunk.getResult().getOutput().getText() != null) {
				text.append(chunk.getResult().getOutput().getText());
			}
		}
		return text.toString();
	}

	@Test
	void whenTheOpenAiEntryAnswersThenItsTokensStreamInOrder(FallbackSimulator simulator) {
		simulator.entry("primary").answer("one two three");

		List<ChatResponse> chunks = stream("openai stream");

		assertThat(text(chunks)).isEqualTo("one two three");
		assertThat(chunks.get(chunks.size() - 1)).isServedBy("primary").hasNoFailedAttempts();
		assertThat(simulator.requestBodies("primary")).singleElement().asString().contains("\"stream\":true");
	}

	@Test
	void whenPrimaryFailsThenTheAnthropicEntryStreams(FallbackSimulator simulator) {
		simulator.entry("primary").failAlways().withStatus(503);
		simulator.entry("claude").answer("streamed by claude");

		List<ChatResponse> chunks = stream("anthropic stream");

		assertThat(text(chunks)).isEqualTo("streamed by claude");
		assertThat(chunks.get(chunks.size() - 1)).isServedBy("claude")
			.hasFailedAttemptKinds(FailureKind.SERVER_ERROR, FailureKind.SERVER_ERROR);
		assertThat(simulator).hasReceived("primary", 2).hasReceived("claude", 1);
	}

	@Test
	void whenTheAnthropicStreamRefusesThenTheNextEntryStreams(FallbackSimulator simulator) {
		simulator.entry("primary").failAlways().authFailure();
		simulator.entry("claude").failNext(1).refuse();

		List<ChatResponse> chunks = stream("anthropic refusal");

		assertThat(text(chunks)).isEqualTo("Simulated answer from tertiary-model.");
		assertThat(chunks.get(chunks.size() - 1)).isServedBy("tertiary-model")
			.hasFailedAttemptKinds(FailureKind.AUTH, FailureKind.REFUSED);
	}

	@Test
	void whenAStreamIsCutBeforeAnyTokenThenTheChainMovesOn(FallbackSimulator simulator) {
		simulator.entry("primary").failAlways().cutStreamAfter(0);

		List<ChatResponse> chunks = stream("cut before tokens");

		assertThat(text(chunks)).isEqualTo("Simulated answer from claude.");
		assertThat(chunks.get(chunks.size() - 1)).isServedBy("claude").hasFailedAttemptsOn("primary", "primary");
	}

	@Test
	void whenAStreamIsCutAfterTokensThenTheCallerHasThemAndAnError(FallbackSimulator simulator) {
		simulator.entry("primary").failNext(1).cutStreamAfter(2);
		StringBuilder received = new StringBuilder();

		assertThatException().isThrownBy(() -> this.client.stream(new Prompt("cut after tokens"))
			.doOnNext((chunk) -> received.append(text(List.of(chunk))))
			.blockLast());

		assertThat(received).hasToString("token0 token1 ");
		assertThat(simulator).hasReceived("primary", 1).hasReceivedNothing("claude");
	}

}

package io.github.aifallback.test;

import java.time.Duration;

import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.beans.factory.annotation.Autowired;

import static io.github.aifallback.test.FallbackAssertions.assertThat;

/**
 * A slow answer ({@code answerSlowly}) is raced by the next entry after the entry's hedge
 * delay (real time: a hedge races the network, not the clock).
 */
@FallbackTest(classes = KitTestApplication.class, properties = "ai.fallback.entries.primary.hedge.delay=300ms")
class FallbackSimulatorHedgeTests {

	@Autowired
	ResilientChatClient client;

	@Test
	void whenPrimaryAnswersSlowlyThenTheHedgeServesAndTheResponseSaysHedged(FallbackSimulator simulator) {
		simulator.entry("primary").answerSlowly(Duration.ofSeconds(5));

		ChatResponse response = this.client.call(new Prompt("slow primary"));

		assertThat(response).isServedBy("claude").isHedged().isNotDegraded();
		assertThat(simulator).hasReceived("primary", 1).hasReceived("claude", 1);
	}

}

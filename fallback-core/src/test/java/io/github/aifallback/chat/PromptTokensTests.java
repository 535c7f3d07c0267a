package io.github.aifallback.chat;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prompt-size estimate: four characters a token, four tokens per message, and a tenth
 * more.
 */
class PromptTokensTests {

	@Test
	void whenThereAreNoMessagesThenTheEstimateIsZero() {
		assertThat(PromptTokens.estimate(List.of())).isZero();
	}

	@Test
	void whenOneMessageThenCharactersOverFourPlusOverheadWithMargin() {
		// 40 / 4 = 10, + 4 = 14, * 1.1 = 15.4, rounded up.
		assertThat(PromptTokens.estimate(List.of(new UserMessage("x".repeat(40))))).isEqualTo(16);
	}

	@Test
	void whenCharactersAreNotAMultipleOfFourThenTheyRoundUp() {
		// 5 chars: 2 tokens, + 4 = 6, * 1.1 = 6.6 -> 7.
		assertThat(PromptTokens.estimate(List.of(new UserMessage("hello")))).isEqualTo(7);
	}

	@Test
	void whenSeveralMessagesThenEachAddsItsOverhead() {
		// 12 chars: 3 tokens, + 3 * 4 = 15, * 1.1 = 16.5 -> 17.
		assertThat(PromptTokens.estimate(List.of(new SystemMessage("abcd"), new UserMessage("efgh"),
				new AssistantMessage("ijkl")))).isEqualTo(17);
	}

	@Test
	void whenAMessageHasNoTextThenOnlyItsOverheadCounts() {
		assertThat(PromptTokens.estimate(List.of(AssistantMessage.builder().build()))).isEqualTo(5);
	}

}

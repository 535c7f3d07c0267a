package io.github.aifallback.chat;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.function.FunctionToolCallback;

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

	@Test
	void whenTheRequestSendsToolDefinitionsThenTheyCountAsText() {
		// 40 characters of message and 40 of tool definitions: 20 tokens, + 4 = 24, * 1.1 = 26.4 -> 27.
		assertThat(PromptTokens.estimate(List.of(new UserMessage("x".repeat(40))), 40)).isEqualTo(27);
	}

	@Test
	void whenAPromptHasToolsThenTheirDefinitionsAreInItsEstimate() {
		ToolCallback tool = FunctionToolCallback.builder("weather", (String city) -> "sunny")
			.description("d".repeat(100))
			.inputType(String.class)
			.build();
		Prompt withTool = new Prompt(new UserMessage("x".repeat(40)),
				ToolCallingChatOptions.builder().toolCallbacks(tool).build());
		Prompt without = new Prompt(new UserMessage("x".repeat(40)));

		long toolCharacters = tool.getToolDefinition().name().length()
				+ tool.getToolDefinition().description().length() + tool.getToolDefinition().inputSchema().length();
		assertThat(RequestNeeds.of(withTool).estimatedTokens())
			.isEqualTo(PromptTokens.estimate(withTool.getInstructions(), toolCharacters))
			.isGreaterThan(RequestNeeds.of(without).estimatedTokens() + 25);
	}

}

package io.github.aifallback.chat;

import java.util.List;

import org.springframework.ai.chat.messages.Message;

/**
 * A cheap, deliberately generous estimate of a prompt's size in tokens, to skip entries
 * whose context window it would not fit, without a tokenizer: about four characters a
 * token for English and code (tool definitions counted as text), a few tokens of framing
 * per message, then a tenth more as a safety margin. It overestimates most texts, so an entry is skipped only when the prompt
 * is near or over its window; CJK text (about one token a character) is underestimated,
 * and the provider's {@code context_length_exceeded} then moves on to a larger window.
 */
final class PromptTokens {

	static final int CHARS_PER_TOKEN = 4;

	static final int PER_MESSAGE = 4;

	static final double MARGIN = 1.1;

	private PromptTokens() {
	}

	static long estimate(List<Message> messages) {
		return estimate(messages, 0);
	}

	/**
	 * @param extraCharacters what the request sends besides its messages, such as its tool
	 * definitions (names, descriptions, input schemas), counted as text
	 */
	static long estimate(List<Message> messages, long extraCharacters) {
		long characters = extraCharacters;
		for (Message message : messages) {
			String text = message.getText();
			characters += (text != null) ? text.length() : 0;
		}
		long tokens = (characters + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN + (long) PER_MESSAGE * messages.size();
		return (long) Math.ceil(tokens * MARGIN);
	}

}

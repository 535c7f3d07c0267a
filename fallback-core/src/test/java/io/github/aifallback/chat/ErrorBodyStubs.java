package io.github.aifallback.chat;

import java.util.List;

import org.springframework.ai.chat.model.ChatResponse;

/**
 * Streaming answers and helpers for the error-body tests.
 */
final class ErrorBodyStubs {

	private ErrorBodyStubs() {
	}

	/** The text of a stream's chunks, joined. */
	static String text(List<ChatResponse> chunks) {
		StringBuilder text = new StringBuilder();
		chunks.forEach((c) -> {
			if (c.getResult() != null && c.getResult().getOutput().getText() != null) {
				text.append(c.getResult().getOutput().getText());
			}
		});
		return text.toString();
	}

}

package io.github.aifallback.chat;

import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import org.springframework.ai.chat.model.ChatResponse;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

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

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

	/** A complete SSE answer: the tokens, a finish reason and {@code [DONE]}. */
	static ResponseDefinitionBuilder sse(String model, String... tokens) {
		StringBuilder body = new StringBuilder();
		body.append(chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
		for (String token : tokens) {
			body.append(chunk(model, "{\"content\":\"" + token + "\"}", null));
		}
		body.append(chunk(model, "{}", "stop")).append("data: [DONE]\n\n");
		return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body.toString());
	}

	private static String chunk(String model, String delta, String finish) {
		return "data: {\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
				+ model + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
				+ ((finish != null) ? "\"" + finish + "\"" : "null") + "}]}\n\n";
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

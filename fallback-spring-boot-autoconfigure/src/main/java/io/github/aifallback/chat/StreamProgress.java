package io.github.aifallback.chat;

import java.util.List;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/**
 * What one streaming attempt delivered: whether it is committed (a token reached the
 * subscriber), how much, and the whole answer so far, to be kept as the last good one when
 * the stream completes. Chunks before the first token (a role, nothing else) are held back,
 * so a failure then can still fall back.
 */
final class StreamProgress {

	private boolean committed;

	private int chunks;

	private final StringBuilder text = new StringBuilder();

	private String finishReason;

	private ChatResponseMetadata metadata = new ChatResponseMetadata();

	static boolean hasContent(ChatResponse chunk) {
		if (chunk.getResult() == null) {
			return false;
		}
		AssistantMessage output = chunk.getResult().getOutput();
		return (output.getText() != null && !output.getText().isEmpty()) || output.hasToolCalls();
	}

	/** Whether the chunk goes to the subscriber. */
	boolean accept(ChatResponse chunk) {
		if (!this.committed && !hasContent(chunk)) {
			return false;
		}
		this.committed = true;
		this.chunks++;
		if (chunk.getResult() != null) {
			String piece = chunk.getResult().getOutput().getText();
			if (piece != null) {
				this.text.append(piece);
			}
			String finish = chunk.getResult().getMetadata().getFinishReason();
			if (finish != null && !finish.isEmpty()) {
				this.finishReason = finish;
			}
		}
		this.metadata = chunk.getMetadata();
		return true;
	}

	boolean committed() {
		return this.committed;
	}

	int chunks() {
		return this.chunks;
	}

	int characters() {
		return this.text.length();
	}

	/** The whole answer, as one response. */
	ChatResponse aggregate() {
		Generation generation = new Generation(new AssistantMessage(this.text.toString()),
				ChatGenerationMetadata.builder().finishReason(this.finishReason).build());
		return new ChatResponse(List.of(generation), this.metadata);
	}

}

package io.github.aifallback.chat;

import java.util.List;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.entry.FinishReason;
import io.github.aifallback.chat.failure.InvalidResponseException;
import io.github.aifallback.chat.failure.StreamEndedEarlyException;

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

	private boolean toolCalls;

	private ChatResponseMetadata metadata = new ChatResponseMetadata();

	static boolean hasContent(ChatResponse chunk) {
		if (chunk.getResult() == null) {
			return false;
		}
		AssistantMessage output = chunk.getResult().getOutput();
		return (output.getText() != null && !output.getText().isEmpty()) || output.hasToolCalls();
	}

	/**
	 * Spring AI's OpenAI model reports a chunk without a finish reason as
	 * {@code _UNKNOWN} (the SDK's name for a value it does not know), so that is none;
	 * {@link FinishReason#of(String)} knows.
	 */
	private static boolean isFinishReason(String finish) {
		return FinishReason.of(finish) != null;
	}

	/** Whether the chunk goes to the subscriber. */
	boolean accept(ChatResponse chunk) {
		String finish = (chunk.getResult() != null) ? chunk.getResult().getMetadata().getFinishReason() : null;
		if (isFinishReason(finish)) {
			this.finishReason = finish;
		}
		if (!this.committed && !hasContent(chunk)) {
			return false;
		}
		this.committed = true;
		this.chunks++;
		if (chunk.getResult() != null) {
			AssistantMessage output = chunk.getResult().getOutput();
			String piece = output.getText();
			if (piece != null) {
				this.text.append(piece);
			}
			this.toolCalls |= output.hasToolCalls();
		}
		this.metadata = chunk.getMetadata();
		return true;
	}

	/**
	 * Why the stream, now ended, is not a whole answer, or {@code null} when it is: no
	 * content at all, or content but no finish reason from a model that always reports one
	 * (the provider's last chunk never came; a connection cut between two events ends the
	 * stream as cleanly as a real end).
	 * @param finishReasonExpected whether the entry's model always reports a finish reason
	 * (see {@link EntryModel#reportsFinishReason()})
	 */
	RuntimeException incomplete(boolean finishReasonExpected) {
		if (!this.committed) {
			return (this.finishReason != null || !finishReasonExpected)
					? new InvalidResponseException("The stream ended before any content")
					: new StreamEndedEarlyException("The stream ended before any content, with no finish reason");
		}
		if (this.finishReason == null && finishReasonExpected) {
			return new StreamEndedEarlyException("The stream ended with no finish reason after " + this.chunks
					+ " chunk(s): its last event never came. If this entry's model never reports a finish reason, "
					+ "its EntryModel#reportsFinishReason() must return false (for a ChatModel bean's entry: "
					+ "ChatModelEntryModel.Builder#finishReasonRequired(false))");
		}
		return null;
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

	/** The text delivered so far. */
	String text() {
		return this.text.toString();
	}

	/** Whether a delivered chunk carried a tool call. */
	boolean sawToolCalls() {
		return this.toolCalls;
	}

	/** The whole answer, as one response. */
	ChatResponse aggregate() {
		Generation generation = new Generation(new AssistantMessage(this.text.toString()),
				ChatGenerationMetadata.builder().finishReason(this.finishReason).build());
		return new ChatResponse(List.of(generation), this.metadata);
	}

}

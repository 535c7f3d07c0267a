package io.github.aifallback.chat.model;

import java.util.List;
import java.util.Map;

import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/**
 * Gives a finish reason to the last chunk of a stream that says it is done without one.
 * Spring AI's Ollama model (2.0.1) sets the finish reason only on a chunk with both token
 * counts, and Ollama leaves {@code prompt_eval_count} out when the whole prompt came from
 * its cache; the chunk still carries {@code done: true} in its metadata. Without this, a
 * whole answer would look like a stream cut short.
 */
final class FinishedChunks {

	/** The metadata key of Spring AI's Ollama model for Ollama's {@code done}. */
	private static final String DONE = "done";

	private static final String STOP = "stop";

	private FinishedChunks() {
	}

	static ChatResponse withFinishReason(ChatResponse chunk) {
		if (chunk.getResults().size() != 1 || !Boolean.TRUE.equals(chunk.getMetadata().get(DONE))) {
			return chunk;
		}
		Generation generation = chunk.getResult();
		ChatGenerationMetadata metadata = generation.getMetadata();
		String finish = metadata.getFinishReason();
		if (finish != null && !finish.isEmpty()) {
			return chunk;
		}
		ChatGenerationMetadata.Builder finished = ChatGenerationMetadata.builder().finishReason(STOP);
		for (Map.Entry<String, Object> entry : metadata.entrySet()) {
			finished.metadata(entry.getKey(), entry.getValue());
		}
		return new ChatResponse(List.of(new Generation(generation.getOutput(), finished.build())),
				chunk.getMetadata());
	}

}

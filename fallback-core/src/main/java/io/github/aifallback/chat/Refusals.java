package io.github.aifallback.chat;

import java.util.Locale;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import io.github.aifallback.chat.entry.FinishReason;
import io.github.aifallback.chat.failure.RefusedResponseException;

/**
 * Tells a refusal from an answer, for any Spring AI chat model: Spring AI's OpenAI model
 * puts the message's {@code refusal} in the assistant message's metadata and the finish
 * reason ({@code CONTENT_FILTER}) in the generation's; its Anthropic model puts the stop
 * reason ({@code refusal}) there too; other vendors have their own words for it, which
 * {@link FinishReason} reads as {@link FinishReason#CONTENT_FILTER}. Reads what is already there: no allocation on an answer that is not a refusal.
 */
final class Refusals {

	/** Where Spring AI's OpenAI model keeps the message's {@code refusal}. */
	static final String REFUSAL = "refusal";

	private Refusals() {
	}

	/**
	 * Throw when the response (or a stream's chunk) is a refusal.
	 * @throws RefusedResponseException when it is
	 */
	static void check(ChatResponse response) {
		if (response == null) {
			return;
		}
		for (Generation generation : response.getResults()) {
			String why = refusal(generation);
			if (why != null) {
				throw new RefusedResponseException(why);
			}
		}
	}

	private static String refusal(Generation generation) {
		AssistantMessage output = generation.getOutput();
		if (output != null && output.getMetadata().get(REFUSAL) instanceof String refusal && !refusal.isEmpty()) {
			// Its text may quote the request: only say that it was set.
			return "the model refused (refusal set)";
		}
		if (FinishReason.of(generation) == FinishReason.CONTENT_FILTER) {
			// Only a known value normalises to CONTENT_FILTER: the raw word is safe to show.
			return "the model refused (finish reason " + FinishReason.raw(generation).toLowerCase(Locale.ROOT) + ")";
		}
		return null;
	}

}

package io.github.aifallback.chat;

import java.util.ArrayList;
import java.util.List;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import io.github.aifallback.chat.failure.FailureKind;

/**
 * Continuing a stream cut after its first token on the next entry (opt-in): the next entry
 * is sent the caller's messages, the answer delivered so far as an assistant message, and
 * a user message asking it to go on. A trailing user message, not an assistant prefill,
 * because several vendors reject a conversation that ends with the assistant.
 */
final class StreamContinuation {

	static final String DEFAULT_INSTRUCTION = "Continue exactly where your previous answer stopped. "
			+ "Do not repeat anything.";

	private StreamContinuation() {
	}

	/**
	 * Whether a cut stream may be continued: it delivered more than whitespace, no tool call
	 * (whose arguments may be cut, and which the caller may already be running), and it was
	 * not stopped by the provider: a refusal, content filter or safety stop is never handed
	 * to another provider to finish.
	 * @param kind how the failure that cut the stream is classified
	 */
	static boolean qualifies(StreamProgress progress, String deliveredBefore, FailureKind kind) {
		return kind != FailureKind.REFUSED && !progress.sawToolCalls()
				&& !(deliveredBefore + progress.text()).isBlank();
	}

	/** The caller's prompt, the partial answer, and the instruction to continue it. */
	static Prompt prompt(Prompt original, String partial, String instruction) {
		List<Message> messages = new ArrayList<>(original.getInstructions());
		messages.add(new AssistantMessage(partial));
		messages.add(new UserMessage(instruction));
		return new Prompt(messages, original.getOptions());
	}

	/** A chunk of the continuation, marked with the entry it continues. */
	static ChatResponse mark(ChatResponse chunk, String continuedFrom) {
		return ChatResponse.builder().from(chunk).metadata(FallbackMetadata.CONTINUED_FROM, continuedFrom).build();
	}

}

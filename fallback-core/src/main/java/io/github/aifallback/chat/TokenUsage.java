package io.github.aifallback.chat;

import io.github.aifallback.chat.event.TokenUsageEvent;

import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;

/**
 * Publishes a served answer's token usage, tagged by the entry that served it: Spring AI's
 * own token meter knows the model, not the chain entry. Never throws: a response without
 * usage (or one whose usage throws) is skipped.
 */
final class TokenUsage {

	private TokenUsage() {
	}

	static void publish(ChainRuntime runtime, ChatResponse response, String entry) {
		try {
			ChatResponseMetadata metadata = response.getMetadata();
			Usage usage = (metadata != null) ? metadata.getUsage() : null;
			if (usage == null) {
				return;
			}
			long input = count(usage.getPromptTokens());
			long output = count(usage.getCompletionTokens());
			if (input > 0 || output > 0) {
				runtime.publish(new TokenUsageEvent(entry, input, output, runtime.clock.instant()));
			}
		}
		catch (RuntimeException ex) {
			// Usage is an observation, not the answer: never a reason to fail the call.
		}
	}

	private static long count(Integer tokens) {
		return (tokens != null && tokens > 0) ? tokens : 0;
	}

}

package io.github.aifallback.chat;

import java.time.Duration;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * Makes exactly one attempt against one model, within a time limit. The chain's only view
 * of a provider; {@link OpenAiEntryModel} is the real one.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface EntryModel {

	/**
	 * Send one request, with no retries of its own.
	 * @param prompt the prompt, as the application gave it
	 * @param timeout the longest this attempt may take
	 * @return the model's response
	 */
	ChatResponse call(Prompt prompt, Duration timeout);

}

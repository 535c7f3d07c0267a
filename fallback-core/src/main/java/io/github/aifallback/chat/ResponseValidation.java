package io.github.aifallback.chat;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import io.github.aifallback.chat.failure.InvalidResponseException;
import io.github.aifallback.chat.failure.RefusedResponseException;

/**
 * Runs the application's {@link ResponseValidator} so that only a rejection leaves it:
 * whatever else it throws (but the JVM's own errors) becomes a rejection naming the
 * exception's type, never its message (which may quote the prompt). The attempt's WARN line
 * then says so, once.
 */
final class ResponseValidation {

	private ResponseValidation() {
	}

	/**
	 * @param validator the validator, or {@code null} for none
	 * @throws InvalidResponseException when the answer is rejected
	 */
	static void check(ResponseValidator validator, Prompt prompt, ChatResponse response) {
		if (validator == null) {
			return;
		}
		try {
			validator.validate(prompt, response);
		}
		catch (InvalidResponseException | RefusedResponseException rejected) {
			throw rejected;
		}
		catch (Throwable ex) {
			Fatal.rethrowIfFatal(ex);
			throw new InvalidResponseException("the response validator threw " + ex.getClass().getName());
		}
	}

}

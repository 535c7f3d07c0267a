package io.github.aifallback.chat.model;

import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;

/**
 * Spring AI's own exceptions (spring-ai-retry). Loaded only when spring-ai-retry is on the
 * class path.
 */
final class SpringAiExceptions {

	private SpringAiExceptions() {
	}

	static boolean isTransient(Throwable thrown) {
		return thrown instanceof TransientAiException;
	}

	static boolean isNonTransient(Throwable thrown) {
		return thrown instanceof NonTransientAiException;
	}

}

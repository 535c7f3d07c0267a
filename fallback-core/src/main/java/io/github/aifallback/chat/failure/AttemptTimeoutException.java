package io.github.aifallback.chat.failure;

import io.github.aifallback.chat.entry.EntryModel;

/**
 * Thrown by an {@link EntryModel} whose attempt ran out of time. Classified as
 * {@link FailureKind#TIMEOUT}.
 *
 * @since 0.1.0
 */
public class AttemptTimeoutException extends RuntimeException {

	/**
	 * Create an exception.
	 * @param message what timed out
	 */
	public AttemptTimeoutException(String message) {
		super(message);
	}

}

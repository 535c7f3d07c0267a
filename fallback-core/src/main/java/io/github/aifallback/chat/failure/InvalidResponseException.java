package io.github.aifallback.chat.failure;

/**
 * Thrown by an attempt whose answer came back but cannot be used (no choices, empty
 * content). Classified as {@link FailureKind#INVALID_RESPONSE}.
 *
 * @since 0.1.0
 */
public class InvalidResponseException extends RuntimeException {

	/**
	 * Create an exception.
	 * @param message what was wrong with the answer (never its content)
	 */
	public InvalidResponseException(String message) {
		super(message);
	}

}

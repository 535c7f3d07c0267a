package io.github.aifallback.chat.failure;

/**
 * Thrown by an attempt whose answer came back (HTTP 200) but is a refusal: the message's
 * {@code refusal} is set, or the finish reason is {@code content_filter} or
 * {@code refusal}. Classified as {@link FailureKind#REFUSED}.
 *
 * @since 0.1.0
 */
public class RefusedResponseException extends RuntimeException {

	/**
	 * Create an exception.
	 * @param message how the refusal showed (never the refusal's text, which may quote the
	 * request)
	 */
	public RefusedResponseException(String message) {
		super(message);
	}

}

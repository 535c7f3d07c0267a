package io.github.aifallback.chat.internal.support;

import java.io.IOException;

/**
 * Thrown while a successful response's body is read, once it is larger than the entry
 * allows: a broken gateway's endless 200 is cut there, never read whole. Classified as
 * {@link io.github.aifallback.chat.failure.FailureKind#INVALID_RESPONSE}, whatever the SDK wraps it
 * in.
 *
 * @since 0.1.0
 */
public class ResponseTooLargeException extends IOException {

	/**
	 * Create an exception.
	 * @param maxBytes the most the entry reads of a response body
	 */
	public ResponseTooLargeException(long maxBytes) {
		super("The response body is larger than " + maxBytes + " bytes");
	}

}

package io.github.aifallback.chat.failure;

/**
 * A stream that ended with neither a finish reason nor the provider's end marker: the
 * connection was cut, however cleanly. Classified as {@link FailureKind#CONNECTION}, and
 * never a completed answer.
 *
 * @since 0.1.0
 */
public final class StreamEndedEarlyException extends RuntimeException {

	/**
	 * A stream that ended before its end.
	 * @param message what was missing
	 */
	public StreamEndedEarlyException(String message) {
		super(message, null, false, false);
	}

}

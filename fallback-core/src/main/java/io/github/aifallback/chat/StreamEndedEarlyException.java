package io.github.aifallback.chat;

/**
 * A stream that ended with neither a finish reason nor the provider's end marker: the
 * connection was cut, however cleanly. Classified as {@link FailureKind#CONNECTION}, and
 * never a completed answer.
 */
final class StreamEndedEarlyException extends RuntimeException {

	StreamEndedEarlyException(String message) {
		super(message, null, false, false);
	}

}

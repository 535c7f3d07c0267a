package io.github.aifallback.chat.failure;

import java.time.Duration;

/**
 * A classified attempt failure: its kind, the HTTP status when there was one, the wait the
 * provider asked for, and what the provider said about it.
 *
 * <p>
 * The provider's details are bounded whoever builds the failure: the error type and code
 * to about 100 characters, the message to about {@value ErrorSanitizer#MAX_MESSAGE_LENGTH},
 * with anything that looks like a credential ({@code sk-...}, {@code Bearer ...},
 * {@code api-key: ...}) redacted. The message may still quote the request or a key of
 * another form: pass it through {@link ErrorSanitizer} with the configured keys and the
 * request's texts before logging it.
 *
 * @param kind the kind of failure
 * @param status the HTTP status, or {@code 0} when no response arrived
 * @param retryAfter the wait the provider asked for ({@code Retry-After} or
 * {@code retry-after-ms}), or {@code null}
 * @param errorType the provider's error type ({@code rate_limit_exceeded}), or
 * {@code null}
 * @param errorCode the provider's error code, a string even when the provider sent a
 * number, or {@code null}
 * @param message the provider's message, bounded and redacted, or {@code null}
 * @since 0.1.0
 */
public record Failure(FailureKind kind, int status, Duration retryAfter, String errorType, String errorCode,
		String message) {

	/**
	 * Bound the provider's details.
	 */
	public Failure {
		errorType = ErrorSanitizer.shortField(errorType);
		errorCode = ErrorSanitizer.shortField(errorCode);
		message = ErrorSanitizer.message(message);
	}

	/**
	 * A failure with no provider details.
	 * @param kind the kind
	 * @param status the HTTP status, or {@code 0}
	 * @param retryAfter the wait the provider asked for, or {@code null}
	 */
	public Failure(FailureKind kind, int status, Duration retryAfter) {
		this(kind, status, retryAfter, null, null, null);
	}

	/**
	 * A failure with no HTTP status and no requested wait.
	 * @param kind the kind
	 * @return the failure
	 */
	public static Failure of(FailureKind kind) {
		return new Failure(kind, 0, null);
	}

	/**
	 * This failure with a message further redacted (configured keys, the request's texts).
	 * @param message the new message
	 * @return the failure
	 * @since 0.1.0
	 */
	public Failure withMessage(String message) {
		return new Failure(this.kind, this.status, this.retryAfter, this.errorType, this.errorCode, message);
	}

	@Override
	public String toString() {
		// The message stays out: a listener logging events must not log what a provider said.
		return "Failure[kind=" + this.kind + ", status=" + this.status + ", retryAfter=" + this.retryAfter
				+ ", errorType=" + this.errorType + ", errorCode=" + this.errorCode + "]";
	}

}

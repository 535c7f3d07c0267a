package io.github.aifallback.chat.failure;

import io.github.aifallback.chat.AllModelsFailedException;
import io.github.aifallback.chat.StreamInterruptedException;

/**
 * A sanitised copy of what an attempt threw, attached as the cause of
 * {@link AllModelsFailedException} and {@link StreamInterruptedException} instead of the
 * original: the status, the provider's error type and code, a bounded message with
 * credentials and the request's text redacted, the failure's kind, and the original's class
 * name and stack trace. It never holds the original exception nor the provider's raw body.
 * Built by {@link ErrorSanitizer}.
 *
 * @since 0.1.0
 */
public class ProviderErrorException extends RuntimeException {

	private final FailureKind kind;

	private final int status;

	private final String errorType;

	private final String errorCode;

	private final String originalClassName;

	private final String sanitizedMessage;

	ProviderErrorException(Failure failure, String originalClassName, String sanitizedMessage,
			ProviderErrorException cause) {
		super(describe(failure, originalClassName, sanitizedMessage), cause);
		this.kind = (failure != null) ? failure.kind() : null;
		this.status = (failure != null) ? failure.status() : 0;
		this.errorType = (failure != null) ? failure.errorType() : null;
		this.errorCode = (failure != null) ? failure.errorCode() : null;
		this.originalClassName = originalClassName;
		this.sanitizedMessage = sanitizedMessage;
	}

	private static String describe(Failure failure, String originalClassName, String message) {
		StringBuilder text = new StringBuilder(originalClassName);
		if (failure != null) {
			StringBuilder details = new StringBuilder();
			if (failure.kind() != null) {
				details.append(", ").append(failure.kind());
			}
			if (failure.status() != 0) {
				details.append(", HTTP ").append(failure.status());
			}
			if (failure.errorType() != null) {
				details.append(", type=").append(failure.errorType());
			}
			if (failure.errorCode() != null) {
				details.append(", code=").append(failure.errorCode());
			}
			if (!details.isEmpty()) {
				text.append(" [").append(details.substring(2)).append(']');
			}
		}
		return (message != null) ? text.append(": ").append(message).toString() : text.toString();
	}

	/**
	 * The failure's kind.
	 * @return the kind, or {@code null} when unknown (and for a copy of a cause)
	 */
	public FailureKind getKind() {
		return this.kind;
	}

	/**
	 * The HTTP status.
	 * @return the status, or {@code 0} when no response arrived or it is unknown
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * The provider's error type.
	 * @return the type, or {@code null}
	 */
	public String getErrorType() {
		return this.errorType;
	}

	/**
	 * The provider's error code.
	 * @return the code, or {@code null}
	 */
	public String getErrorCode() {
		return this.errorCode;
	}

	/**
	 * The class of the exception this is a copy of.
	 * @return its fully qualified name
	 */
	public String getOriginalClassName() {
		return this.originalClassName;
	}

	/**
	 * The provider's (or the original's) message, bounded and redacted.
	 * @return the message, or {@code null}
	 */
	public String getSanitizedMessage() {
		return this.sanitizedMessage;
	}

}

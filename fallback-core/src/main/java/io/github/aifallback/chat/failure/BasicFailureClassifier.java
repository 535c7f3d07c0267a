package io.github.aifallback.chat.failure;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Classifies what any adapter may throw, from the exception's type and causes alone: a
 * timeout, a broken or refused connection; anything else is {@link FailureKind#BAD_REQUEST}
 * (falls back, never retried, never opens a circuit: a bug should not be hammered). The
 * vendors' classifiers add what their exceptions say (status, body, headers) and use this
 * one for the rest.
 *
 * @since 0.1.0
 */
public final class BasicFailureClassifier implements FailureClassifier {

	/** The shared instance: it holds no state. */
	public static final BasicFailureClassifier INSTANCE = new BasicFailureClassifier();

	private static final int MAX_CAUSES = 16;

	private BasicFailureClassifier() {
	}

	@Override
	public Failure classify(Throwable failure) {
		Throwable thrown = unwrapped(failure);
		Failure own = engineFailure(thrown);
		if (own != null) {
			return own;
		}
		if (hasCause(thrown, IOException.class)) {
			return Failure.of(isTimeout(thrown) ? FailureKind.TIMEOUT : FailureKind.CONNECTION);
		}
		return Failure.of(FailureKind.BAD_REQUEST);
	}

	/**
	 * The engine's own failures, which mean the same whichever provider the entry speaks
	 * to; {@code null} for anything else.
	 * @param thrown what an attempt ended in
	 * @return its failure, or {@code null} when it is not one of the engine's own
	 */
	public static Failure engineFailure(Throwable thrown) {
		// The reason (ours or a validator's, never the answer's text) goes into the log line.
		if (thrown instanceof InvalidResponseException) {
			return new Failure(FailureKind.INVALID_RESPONSE, 0, null, null, null, thrown.getMessage());
		}
		if (thrown instanceof RefusedResponseException) {
			return new Failure(FailureKind.REFUSED, 0, null, null, null, thrown.getMessage());
		}
		if (thrown instanceof AttemptTimeoutException || thrown instanceof TimeoutException) {
			return Failure.of(FailureKind.TIMEOUT);
		}
		if (thrown instanceof StreamEndedEarlyException) {
			return Failure.of(FailureKind.CONNECTION);
		}
		return null;
	}

	/** Asynchronous calls report the adapter's exception inside a wrapper. */
	public static Throwable unwrapped(Throwable thrown) {
		Throwable failure = thrown;
		for (int i = 0; i < MAX_CAUSES && (failure instanceof CompletionException
				|| failure instanceof ExecutionException) && failure.getCause() != null; i++) {
			failure = failure.getCause();
		}
		return failure;
	}

	/** Whether a timeout, rather than a refused or broken connection, ended the I/O. */
	public static boolean isTimeout(Throwable failure) {
		Throwable t = failure;
		for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
			if (t instanceof SocketTimeoutException || (t instanceof InterruptedIOException
					&& !(t instanceof ConnectException) && String.valueOf(t.getMessage()).contains("timeout"))) {
				return true;
			}
			if (t instanceof ConnectException || t instanceof UnknownHostException) {
				return false;
			}
		}
		return false;
	}

	/** Whether the failure or one of its causes (a few levels, cycles stopped) is a type. */
	public static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
		Throwable t = failure;
		for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
			if (type.isInstance(t)) {
				return true;
			}
		}
		return false;
	}

}

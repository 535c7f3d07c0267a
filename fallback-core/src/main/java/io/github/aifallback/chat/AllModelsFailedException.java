package io.github.aifallback.chat;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when no entry of the chain produced an answer (and no degraded answer could be
 * served). Lists every attempt, in one format whatever the provider; it never holds a
 * prompt or a key.
 *
 * @since 0.1.0
 */
public class AllModelsFailedException extends RuntimeException {

	private final transient List<AttemptRecord> attempts;

	/**
	 * Create an exception.
	 * @param reason why the chain gave up (exhausted, stopped by policy, deadline...)
	 * @param attempts every attempt made, in order
	 * @param cause the last attempt's exception, or {@code null}
	 */
	public AllModelsFailedException(String reason, List<AttemptRecord> attempts, Throwable cause) {
		super(message(reason, attempts), cause);
		this.attempts = List.copyOf(attempts);
	}

	private static String message(String reason, List<AttemptRecord> attempts) {
		if (attempts.isEmpty()) {
			return "All models failed (" + reason + "); no attempt was made";
		}
		return "All models failed (" + reason + "); " + attempts.size() + " attempt(s)"
				+ attempts.stream().map(AttemptRecord::describe).collect(Collectors.joining("\n  ", ":\n  ", ""));
	}

	/**
	 * Every attempt made, in order.
	 * @return the attempts
	 */
	public List<AttemptRecord> getAttempts() {
		return this.attempts;
	}

}

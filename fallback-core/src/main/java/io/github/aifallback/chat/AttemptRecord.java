package io.github.aifallback.chat;

import java.time.Duration;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;

/**
 * One failed attempt of a call, as reported in response metadata and in
 * {@link AllModelsFailedException}: the same format whatever the provider.
 *
 * @param entry the chain entry's name
 * @param attempt the attempt's number on that entry, from 1
 * @param maxAttempts the attempts that entry was allowed
 * @param kind why it failed
 * @param status the HTTP status, or {@code 0} when no response arrived
 * @param duration how long the attempt took
 * @param action what the chain did next
 * @since 0.1.0
 */
public record AttemptRecord(String entry, int attempt, int maxAttempts, FailureKind kind, int status,
		Duration duration, FailureAction action) {

	/**
	 * One line for humans, e.g.
	 * {@code primary attempt 1/3: SERVER_ERROR (HTTP 500) after 12 ms, then RETRY}.
	 * @return the description
	 */
	public String describe() {
		return this.entry + " attempt " + this.attempt + "/" + this.maxAttempts + ": " + this.kind
				+ ((this.status != 0) ? " (HTTP " + this.status + ")" : "") + " after " + this.duration.toMillis()
				+ " ms, then " + this.action;
	}

	@Override
	public String toString() {
		return describe();
	}

}

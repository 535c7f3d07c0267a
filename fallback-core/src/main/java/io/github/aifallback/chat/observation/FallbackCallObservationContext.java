package io.github.aifallback.chat.observation;

import io.github.aifallback.chat.event.CallCompletedEvent;
import io.micrometer.observation.Observation;

/**
 * What an {@code ai.fallback.call} observation knows of one call through the chain: whether
 * it streams and, once it ends, its outcome and what served it. It never holds the prompt or
 * the answer.
 *
 * @since 0.1.0
 */
public class FallbackCallObservationContext extends Observation.Context {

	private final boolean stream;

	private CallCompletedEvent.Outcome outcome;

	private String servedBy;

	private int attempts;

	private boolean cancelled;

	/**
	 * A context for one call.
	 * @param stream whether the call streams
	 */
	public FallbackCallObservationContext(boolean stream) {
		this.stream = stream;
	}

	/**
	 * Whether the call streams.
	 * @return {@code true} for {@code stream}, {@code false} for {@code call}
	 */
	public boolean isStream() {
		return this.stream;
	}

	/**
	 * How the call ended.
	 * @return the outcome, or {@code null} while it runs or when it was cancelled
	 */
	public CallCompletedEvent.Outcome getOutcome() {
		return this.outcome;
	}

	/**
	 * What served the call.
	 * @return an entry's name, {@code cache}, {@code none}, or {@code null} while it runs
	 */
	public String getServedBy() {
		return this.servedBy;
	}

	/**
	 * The attempts the call made.
	 * @return the number of attempts
	 */
	public int getAttempts() {
		return this.attempts;
	}

	/**
	 * Whether the call ended with no outcome: the subscriber cancelled the stream, or the JVM
	 * threw an error of its own.
	 * @return {@code true} when cancelled
	 */
	public boolean isCancelled() {
		return this.cancelled;
	}

	/** Record that the call ended with no outcome; the chain calls it. */
	public void setCancelled() {
		this.cancelled = true;
	}

	/**
	 * Record how the call ended; the chain calls it once.
	 * @param outcome the outcome
	 * @param servedBy an entry's name, {@code cache} or {@code none}
	 * @param attempts the attempts made
	 */
	public void setCompleted(CallCompletedEvent.Outcome outcome, String servedBy, int attempts) {
		this.outcome = outcome;
		this.servedBy = servedBy;
		this.attempts = attempts;
	}

}

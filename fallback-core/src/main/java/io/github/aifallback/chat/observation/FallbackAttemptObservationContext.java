package io.github.aifallback.chat.observation;

import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;
import io.micrometer.observation.Observation;

/**
 * What an {@code ai.fallback.attempt} observation knows of one attempt on one entry: the
 * entry and model (from configuration), the attempt's number and, once it ends, whether it
 * succeeded, how it failed and what the chain did next. Never the prompt, the answer or the
 * provider's message.
 *
 * @since 0.1.0
 */
public class FallbackAttemptObservationContext extends Observation.Context {

	private final String entry;

	private final String model;

	private final int attempt;

	private final int maxAttempts;

	private boolean succeeded;

	private FailureKind failureKind;

	private FailureAction action;

	private boolean cancelled;

	/**
	 * A context for one attempt.
	 * @param entry the entry's name
	 * @param model the entry's model id
	 * @param attempt the attempt's number on this entry, from 1
	 * @param maxAttempts the attempts this entry allows
	 */
	public FallbackAttemptObservationContext(String entry, String model, int attempt, int maxAttempts) {
		this.entry = entry;
		this.model = model;
		this.attempt = attempt;
		this.maxAttempts = maxAttempts;
	}

	/**
	 * The entry's name.
	 * @return the name
	 */
	public String getEntry() {
		return this.entry;
	}

	/**
	 * The entry's model id, as configured.
	 * @return the model id
	 */
	public String getModel() {
		return this.model;
	}

	/**
	 * The attempt's number on this entry.
	 * @return the number, from 1
	 */
	public int getAttempt() {
		return this.attempt;
	}

	/**
	 * The attempts this entry allows.
	 * @return the maximum
	 */
	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	/**
	 * Whether the attempt succeeded.
	 * @return {@code true} when it answered
	 */
	public boolean isSucceeded() {
		return this.succeeded;
	}

	/**
	 * How the attempt failed.
	 * @return the kind, or {@code null} when it succeeded, runs, or was cancelled
	 */
	public FailureKind getFailureKind() {
		return this.failureKind;
	}

	/**
	 * What the chain did after the failure.
	 * @return the action, or {@code null} when the attempt did not fail
	 */
	public FailureAction getAction() {
		return this.action;
	}

	/**
	 * Whether the attempt ended with neither an answer nor a failure: the subscriber
	 * cancelled the stream, the JVM threw an error of its own, or the call ended.
	 * @return {@code true} when cancelled
	 */
	public boolean isCancelled() {
		return this.cancelled;
	}

	/** Record that the attempt ended with neither an answer nor a failure; the chain calls it. */
	public void setCancelled() {
		this.cancelled = true;
	}

	/** Record that the attempt answered; the chain calls it. */
	public void setSucceeded() {
		this.succeeded = true;
	}

	/**
	 * Record how the attempt failed and what follows; the chain calls it.
	 * @param failureKind the kind of failure
	 * @param action what the chain does next
	 */
	public void setFailed(FailureKind failureKind, FailureAction action) {
		this.failureKind = failureKind;
		this.action = action;
	}

}

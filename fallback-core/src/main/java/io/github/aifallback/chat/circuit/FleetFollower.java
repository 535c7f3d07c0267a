package io.github.aifallback.chat.circuit;

import java.time.Duration;
import java.time.Instant;

/**
 * How one breaker follows its fleet's words, bounded by its own limits: every word is acted
 * on once (a word read again extends nothing), an opening lasts at most this breaker's
 * {@code max-open-duration} from when it was first seen here, and an opening taken from the
 * fleet ends when its record is gone. The breaker's state machine stays in
 * {@link CircuitBreaker}; this class only says what the fleet's last word asks of it.
 * Guarded by the breaker's lock, except the reads marked lock-free.
 */
final class FleetFollower {

	/** What the fleet's word asks of the breaker. */
	enum Step {

		/** Nothing new. */
		NONE,

		/** Open (or stay open) until {@link FleetFollower#until()}. */
		OPEN,

		/** The open period is over (its record is gone, or it ended): the fleet's probe decides. */
		HALF_OPEN,

		/** A probe succeeded elsewhere, or an operator reset the fleet: close. */
		CLOSE

	}

	private final String breaker;

	private final SharedCircuitState fleet;

	private final Duration maxOpen;

	/** The id of the last word acted on or published here; volatile for the lock-free check. */
	private volatile String followed;

	/** Whether the breaker's current open period was taken from the fleet. */
	private boolean adopted;

	private Instant until;

	private String retryAfterId;

	private Instant retryAfterUntil;

	FleetFollower(String breaker, SharedCircuitState fleet, Duration maxOpen) {
		this.breaker = breaker;
		this.fleet = fleet;
		this.maxOpen = maxOpen;
	}

	/** Lock-free: whether an open word this breaker has not acted on is waiting. */
	boolean hasOpening() {
		SharedCircuitState.Word word = this.fleet.word(this.breaker);
		return word != null && word.open() && !word.id().equals(this.followed);
	}

	/** The end of the open period of the last {@link Step#OPEN}. */
	Instant until() {
		return this.until;
	}

	/**
	 * What the fleet's last word asks of a breaker in this state, now.
	 * @param openUntil the breaker's own end of its open period (when OPEN)
	 * @param probing whether this instance has a probe in flight (its outcome decides)
	 */
	Step follow(Instant now, CircuitState state, Instant openUntil, boolean probing) {
		if (state == CircuitState.FORCED_OPEN) {
			return Step.NONE;
		}
		SharedCircuitState.Word word = this.fleet.word(this.breaker);
		if (word == null) {
			// Gone from the store: an opening taken from it does not outlive it.
			if (this.adopted && state == CircuitState.OPEN) {
				this.adopted = false;
				return Step.HALF_OPEN;
			}
			return Step.NONE;
		}
		if (word.id().equals(this.followed)) {
			return Step.NONE;
		}
		this.followed = word.id();
		if (!word.open()) {
			this.adopted = false;
			return (state == CircuitState.OPEN || (state == CircuitState.HALF_OPEN && !probing)) ? Step.CLOSE
					: Step.NONE;
		}
		if (probing) {
			return Step.NONE;
		}
		Duration remaining = bounded(word.remaining());
		if (remaining.isZero()) {
			// An opening that is over but whose probe has not reported: wait for the fleet's probe.
			if (state == CircuitState.CLOSED) {
				this.adopted = true;
				return Step.HALF_OPEN;
			}
			return Step.NONE;
		}
		Instant end = now.plus(remaining);
		if (state == CircuitState.OPEN && openUntil != null && !end.isAfter(openUntil)) {
			return Step.NONE;
		}
		this.adopted = true;
		this.until = end;
		return Step.OPEN;
	}

	/** This instance just published a word: it is its own, not news. */
	void published() {
		SharedCircuitState.Word word = this.fleet.word(this.breaker);
		this.followed = (word != null) ? word.id() : null;
		this.adopted = false;
	}

	/**
	 * The end of the fleet's Retry-After for this breaker on this instance's clock, or
	 * {@code null} when none is in force: fixed when first seen, capped by max-open-duration,
	 * and over as soon as the record is gone.
	 */
	synchronized Instant retryAfterUntil(Instant now) {
		SharedCircuitState.Word word = this.fleet.retryAfter(this.breaker);
		if (word == null || !word.open()) {
			this.retryAfterId = null;
			this.retryAfterUntil = null;
			return null;
		}
		if (!word.id().equals(this.retryAfterId)) {
			this.retryAfterId = word.id();
			this.retryAfterUntil = now.plus(bounded(word.remaining()));
		}
		return now.isBefore(this.retryAfterUntil) ? this.retryAfterUntil : null;
	}

	/** Tell the fleet about a provider's Retry-After, capped as every reader caps it. */
	void retryAfter(Duration wait) {
		this.fleet.retryAfter(this.breaker, bounded(wait));
	}

	private Duration bounded(Duration remaining) {
		if (remaining.isNegative()) {
			return Duration.ZERO;
		}
		return (remaining.compareTo(this.maxOpen) > 0) ? this.maxOpen : remaining;
	}

}

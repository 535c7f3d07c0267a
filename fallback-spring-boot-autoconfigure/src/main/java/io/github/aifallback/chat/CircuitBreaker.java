package io.github.aifallback.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One chain entry's circuit breaker: closed, open after enough consecutive unwell failures,
 * half-open with one probe at a time once the open period ends, and closed again by a
 * successful probe or open twice as long by a failed one. Operators can force it open or
 * closed. Thread-safe: every transition happens once, under this breaker's lock.
 *
 * @since 0.1.0
 */
public final class CircuitBreaker {

	private final String entry;

	private final CircuitBreakerSettings settings;

	private final Clock clock;

	private final Consumer<CircuitStateChangedEvent> onChange;

	private volatile CircuitState state = CircuitState.CLOSED;

	private volatile int consecutiveFailures;

	private final LongAdder successes = new LongAdder();

	private long failures;

	private volatile Instant lastSuccess;

	private Instant lastFailure;

	private FailureKind lastFailureKind;

	private Instant openUntil;

	private Duration lastOpenDuration;

	private boolean probeInFlight;

	CircuitBreaker(String entry, CircuitBreakerSettings settings, Clock clock,
			Consumer<CircuitStateChangedEvent> onChange) {
		this.entry = entry;
		this.settings = settings;
		this.clock = clock;
		this.onChange = onChange;
	}

	/**
	 * The entry this breaker guards.
	 * @return the entry's name
	 */
	public String entry() {
		return this.entry;
	}

	/**
	 * The current state, without side effects.
	 * @return the state
	 */
	public CircuitState state() {
		return this.state;
	}

	/**
	 * Whether a call may go to this entry now: always when closed; when open, once the open
	 * period ended, as the single probe of the half-open state. A granted probe must be
	 * followed by {@link #recordSuccess()} or {@link #recordFailure(Failure)}.
	 * @return whether to send the call
	 */
	public boolean tryAcquire() {
		if (this.state == CircuitState.CLOSED) {
			return true;
		}
		CircuitStateChangedEvent event = null;
		boolean granted;
		synchronized (this) {
			Instant now = this.clock.instant();
			if (this.state == CircuitState.OPEN && !now.isBefore(this.openUntil)) {
				event = transition(CircuitState.HALF_OPEN, now);
			}
			granted = this.state == CircuitState.CLOSED || (this.state == CircuitState.HALF_OPEN && !this.probeInFlight);
			if (granted && this.state == CircuitState.HALF_OPEN) {
				this.probeInFlight = true;
			}
		}
		publish(event);
		return granted;
	}

	/**
	 * Whether {@link #tryAcquire()} could grant a call now (no side effects).
	 * @return whether the entry is available
	 */
	public boolean isAvailable() {
		if (this.state == CircuitState.CLOSED) {
			return true;
		}
		synchronized (this) {
			return availableNow();
		}
	}

	private boolean availableNow() {
		return switch (this.state) {
			case CLOSED -> true;
			case HALF_OPEN -> !this.probeInFlight;
			case OPEN -> !this.clock.instant().isBefore(this.openUntil);
			case FORCED_OPEN -> false;
		};
	}

	/**
	 * Record a successful attempt: closes the circuit (unless an operator forced it open).
	 */
	public void recordSuccess() {
		Instant now = this.clock.instant();
		this.successes.increment();
		this.lastSuccess = now;
		// The common case takes no lock: closed, and nothing to reset.
		if (this.state == CircuitState.CLOSED && this.consecutiveFailures == 0) {
			return;
		}
		CircuitStateChangedEvent event = null;
		synchronized (this) {
			this.consecutiveFailures = 0;
			this.probeInFlight = false;
			if (this.state == CircuitState.HALF_OPEN || this.state == CircuitState.OPEN) {
				this.lastOpenDuration = null;
				event = transition(CircuitState.CLOSED, now);
			}
		}
		publish(event);
	}

	/**
	 * Record a failed attempt. Failures about the request (bad request, context too long,
	 * invalid response) are counted but never open the circuit.
	 * @param failure the classified failure
	 */
	public void recordFailure(Failure failure) {
		CircuitStateChangedEvent event = null;
		synchronized (this) {
			Instant now = this.clock.instant();
			this.failures++;
			this.lastFailure = now;
			this.lastFailureKind = failure.kind();
			boolean wasProbe = this.probeInFlight;
			this.probeInFlight = false;
			if (!CircuitBreakerSettings.countsAgainstModel(failure.kind())) {
				return;
			}
			this.consecutiveFailures++;
			if (this.state == CircuitState.HALF_OPEN || (this.state == CircuitState.OPEN && wasProbe)) {
				event = open(now, doubled(), failure);
			}
			else if (this.state == CircuitState.CLOSED && this.consecutiveFailures >= this.settings.failureThreshold()) {
				event = open(now, this.settings.openDuration(), failure);
			}
		}
		publish(event);
	}

	/**
	 * Give back a probe permit without an outcome (the caller abandoned the call).
	 */
	synchronized void releaseProbe() {
		this.probeInFlight = false;
	}

	/**
	 * Take the entry out of rotation until {@link #reset()}.
	 */
	public void forceOpen() {
		CircuitStateChangedEvent event;
		synchronized (this) {
			this.openUntil = null;
			event = transition(CircuitState.FORCED_OPEN, this.clock.instant());
		}
		publish(event);
	}

	/**
	 * Close the circuit and reset its counters: put the entry back in rotation.
	 */
	public void reset() {
		CircuitStateChangedEvent event;
		synchronized (this) {
			this.consecutiveFailures = 0;
			this.successes.reset();
			this.failures = 0;
			this.lastOpenDuration = null;
			this.openUntil = null;
			this.probeInFlight = false;
			event = transition(CircuitState.CLOSED, this.clock.instant());
		}
		publish(event);
	}

	/**
	 * The recorded health, consistent at one instant.
	 * @return the snapshot
	 */
	public synchronized CircuitSnapshot snapshot() {
		return new CircuitSnapshot(this.entry, this.state, this.consecutiveFailures, this.successes.sum(), this.failures,
				this.lastSuccess, this.lastFailure, this.lastFailureKind,
				(this.state == CircuitState.OPEN) ? this.openUntil : null);
	}

	private Duration doubled() {
		Duration last = (this.lastOpenDuration != null) ? this.lastOpenDuration : this.settings.openDuration();
		Duration twice = last.multipliedBy(2);
		return (twice.compareTo(this.settings.maxOpenDuration()) > 0) ? this.settings.maxOpenDuration() : twice;
	}

	/** A provider's Retry-After longer than the open period keeps the circuit open that long. */
	private CircuitStateChangedEvent open(Instant now, Duration duration, Failure failure) {
		Duration open = duration;
		if (failure.retryAfter() != null && failure.retryAfter().compareTo(open) > 0) {
			open = failure.retryAfter();
		}
		this.lastOpenDuration = duration;
		this.openUntil = now.plus(open);
		return transition(CircuitState.OPEN, now);
	}

	private CircuitStateChangedEvent transition(CircuitState to, Instant now) {
		CircuitState from = this.state;
		if (from == to) {
			return null;
		}
		this.state = to;
		return new CircuitStateChangedEvent(this.entry, from, to, (to == CircuitState.OPEN) ? this.openUntil : null,
				now);
	}

	private void publish(CircuitStateChangedEvent event) {
		if (event != null) {
			this.onChange.accept(event);
		}
	}

	@Override
	public String toString() {
		return "CircuitBreaker[" + this.entry + ", " + this.state + "]";
	}

}

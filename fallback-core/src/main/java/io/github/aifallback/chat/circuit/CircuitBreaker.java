package io.github.aifallback.chat.circuit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.github.aifallback.chat.Failure;
import io.github.aifallback.chat.FailureKind;
import io.github.aifallback.chat.event.CircuitStateChangedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chain entry's circuit breaker: closed, open after enough consecutive unwell failures,
 * half-open with one probe at a time once the open period ends, and closed again by a
 * successful probe or open twice as long by a failed one. Operators can force it open or
 * closed. Thread-safe: every transition happens once, under this breaker's lock.
 * <p>
 * Callers go through permits, as Resilience4j's {@code acquirePermission} / {@code onSuccess}
 * / {@code onError} do: {@link #acquire()} before each attempt, then exactly one of
 * {@link #recordSuccess(long)}, {@link #recordFailure(Failure, long)} or
 * {@link #release(long)} with the permit it returned. The client creates one breaker per
 * entry; applications read and steer those through
 * {@link io.github.aifallback.chat.ResilientChatClient#circuitBreaker(String)} rather than
 * creating their own.
 *
 * @since 0.1.0
 */
public final class CircuitBreaker {

	/**
	 * What {@link #acquire()} returns when the call may not go to this entry.
	 * @since 0.2.0
	 */
	public static final long DENIED = -1;

	/**
	 * What {@link #acquire()} returns when the circuit is closed: the call is no probe.
	 * @since 0.2.0
	 */
	public static final long NOT_A_PROBE = 0;

	private static final Logger logger = LoggerFactory.getLogger(CircuitBreaker.class);

	private final String entry;

	private final CircuitBreakerSettings settings;

	private final Clock clock;

	private final Consumer<CircuitStateChangedEvent> onChange;

	/** The fleet's shared circuit state, or {@code null}: then every hook below costs one null check. */
	private final SharedCircuitState fleet;

	/** How this breaker follows the fleet's words within its own limits, or {@code null} without a fleet. */
	private final FleetFollower follower;

	private volatile CircuitState state = CircuitState.CLOSED;

	private volatile int consecutiveFailures;

	private final LongAdder successes = new LongAdder();

	private long failures;

	private volatile Instant lastSuccess;

	private Instant lastFailure;

	private FailureKind lastFailureKind;

	private Instant openUntil;

	private Duration lastOpenDuration;

	/** The permit of the probe in flight, or {@link #NOT_A_PROBE}. */
	private long probe = NOT_A_PROBE;

	private long probes;

	/**
	 * Create a closed breaker.
	 * @param entry the name of the entry it guards
	 * @param settings when it opens and for how long
	 * @param clock the time source of open periods and of the snapshot's instants
	 * @param onChange called with every state change, outside the breaker's lock, on the
	 * thread that caused it; it must not throw
	 * @since 0.2.0
	 */
	public CircuitBreaker(String entry, CircuitBreakerSettings settings, Clock clock,
			Consumer<CircuitStateChangedEvent> onChange) {
		this(entry, settings, clock, onChange, null);
	}

	/**
	 * Create a closed breaker that shares its openings with a fleet and follows the fleet's.
	 * @param entry the name of the breaker, the key of its shared state
	 * @param settings when it opens and for how long
	 * @param clock the time source of open periods and of the snapshot's instants
	 * @param onChange called with every state change, outside the breaker's lock, on the
	 * thread that caused it; it must not throw
	 * @param fleet the shared state, or {@code null} for a breaker of this instance alone
	 * @since 0.2.0
	 */
	public CircuitBreaker(String entry, CircuitBreakerSettings settings, Clock clock,
			Consumer<CircuitStateChangedEvent> onChange, SharedCircuitState fleet) {
		this.entry = entry;
		this.settings = settings;
		this.clock = clock;
		this.onChange = onChange;
		this.fleet = fleet;
		this.follower = (fleet != null) ? new FleetFollower(entry, fleet, settings.maxOpenDuration()) : null;
		if (fleet != null) {
			fleet.track(entry);
		}
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
	 * Ask to send a call to this entry now: always granted when closed; when open, granted
	 * once the open period ended, as the single probe of the half-open state. The permit
	 * returned names the call that holds it: only that call's outcome can close or reopen
	 * the circuit, so a late result of an older call can neither release nor double-count
	 * a probe. Every granted permit must be followed by {@link #recordSuccess(long)},
	 * {@link #recordFailure(Failure, long)} or {@link #release(long)}.
	 * @return {@link #DENIED}, {@link #NOT_A_PROBE}, or the probe's id (positive)
	 * @since 0.2.0
	 */
	public long acquire() {
		boolean waiting = this.fleet != null && fleetRetryAfterInForce();
		if (!waiting && this.state == CircuitState.CLOSED && (this.fleet == null || !this.follower.hasOpening())) {
			return NOT_A_PROBE;
		}
		CircuitStateChangedEvent event = null;
		long permit;
		synchronized (this) {
			Instant now = this.clock.instant();
			if (this.fleet != null) {
				event = followFleet(now);
			}
			if (this.state == CircuitState.OPEN && !now.isBefore(this.openUntil)) {
				// followFleet never changes state when it leaves the circuit OPEN and over
				event = transition(CircuitState.HALF_OPEN, now);
			}
			if (waiting) {
				permit = DENIED;
			}
			else if (this.state == CircuitState.CLOSED) {
				permit = NOT_A_PROBE;
			}
			else if (this.state == CircuitState.HALF_OPEN && this.probe == NOT_A_PROBE
					&& (this.fleet == null || this.fleet.mayProbe(this.entry, this.openUntil))) {
				this.probe = ++this.probes;
				permit = this.probe;
			}
			else {
				permit = DENIED;
			}
		}
		publish(event);
		return permit;
	}

	/**
	 * Whether {@link #acquire()} could grant a call now (no side effects).
	 * @return whether the entry is available
	 */
	public boolean isAvailable() {
		if (this.fleet != null && fleetRetryAfterInForce()) {
			return false;
		}
		if (this.state == CircuitState.CLOSED && (this.fleet == null || !this.follower.hasOpening())) {
			return true;
		}
		synchronized (this) {
			return availableNow();
		}
	}

	/** Whether another instance was sent a Retry-After by this entry that is still in force here. */
	private boolean fleetRetryAfterInForce() {
		return this.follower.retryAfterUntil(this.clock.instant()) != null;
	}

	/**
	 * Under the lock, act on the fleet's last word (bounded by {@link FleetFollower}): adopt
	 * an opening another instance published, end one whose record is gone, and close on a
	 * probe's success or an operator's reset anywhere in the fleet.
	 */
	private CircuitStateChangedEvent followFleet(Instant now) {
		FleetFollower.Step step = this.follower.follow(now, this.state, this.openUntil, this.probe != NOT_A_PROBE);
		switch (step) {
			case OPEN -> {
				this.openUntil = this.follower.until();
				this.lastOpenDuration = this.settings.openDuration();
				logger.debug("AI fallback: circuit of '{}' opened by the fleet until {}", this.entry, this.openUntil);
				return transition(CircuitState.OPEN, now);
			}
			case HALF_OPEN -> {
				this.openUntil = now;
				this.lastOpenDuration = this.settings.openDuration();
				return transition(CircuitState.HALF_OPEN, now);
			}
			case CLOSE -> {
				this.consecutiveFailures = 0;
				this.lastOpenDuration = null;
				this.openUntil = null;
				logger.debug("AI fallback: circuit of '{}' closed by the fleet", this.entry);
				return transition(CircuitState.CLOSED, now);
			}
			default -> {
				return null;
			}
		}
	}

	private boolean availableNow() {
		return switch (this.state) {
			case CLOSED -> this.fleet == null || !this.follower.hasOpening();
			case HALF_OPEN -> this.probe == NOT_A_PROBE;
			case OPEN -> !this.clock.instant().isBefore(this.openUntil);
			case FORCED_OPEN -> false;
		};
	}

	/**
	 * Record a successful attempt. The probe's success closes the circuit; a success of a
	 * call admitted before the circuit opened is counted but changes no state.
	 * @param permit what {@link #acquire()} granted the call
	 * @since 0.2.0
	 */
	public void recordSuccess(long permit) {
		Instant now = this.clock.instant();
		this.successes.increment();
		this.lastSuccess = now;
		// The common case takes no lock: closed, and nothing to reset.
		if (this.state == CircuitState.CLOSED && this.consecutiveFailures == 0) {
			return;
		}
		CircuitStateChangedEvent event = null;
		synchronized (this) {
			if (this.state == CircuitState.CLOSED) {
				this.consecutiveFailures = 0;
			}
			else if (isProbe(permit)) {
				this.probe = NOT_A_PROBE;
				this.consecutiveFailures = 0;
				this.lastOpenDuration = null;
				event = transition(CircuitState.CLOSED, now);
				if (this.fleet != null) {
					this.fleet.closed(this.entry);
					this.follower.published();
				}
			}
		}
		publish(event);
	}

	/**
	 * Record a failed attempt. Failures about the request (bad request, context too long,
	 * invalid response) are counted but never open the circuit. The probe's failure opens
	 * it again for twice as long; a late failure of a call admitted before the circuit
	 * opened is counted but changes no state.
	 * @param failure the classified failure
	 * @param permit what {@link #acquire()} granted the call
	 * @since 0.2.0
	 */
	public void recordFailure(Failure failure, long permit) {
		CircuitStateChangedEvent event = null;
		synchronized (this) {
			Instant now = this.clock.instant();
			this.failures++;
			this.lastFailure = now;
			this.lastFailureKind = failure.kind();
			boolean probeFailed = isProbe(permit);
			if (probeFailed) {
				this.probe = NOT_A_PROBE;
			}
			if (this.fleet != null && failure.retryAfter() != null && !failure.retryAfter().isNegative()
					&& !failure.retryAfter().isZero()) {
				this.follower.retryAfter(failure.retryAfter());
			}
			if (!CircuitBreakerSettings.countsAgainstModel(failure.kind())) {
				return;
			}
			this.consecutiveFailures++;
			if (probeFailed && this.state == CircuitState.HALF_OPEN) {
				event = open(now, doubled(), failure);
			}
			else if (this.state == CircuitState.CLOSED && this.consecutiveFailures >= this.settings.failureThreshold()) {
				event = open(now, this.settings.openDuration(), failure);
			}
		}
		publish(event);
	}

	/**
	 * Give back a permit without an outcome (the call abandoned the attempt, or it ended in
	 * a way that says nothing about the model). Only the probe's own permit releases it.
	 * @param permit what {@link #acquire()} granted the call
	 * @since 0.2.0
	 */
	public synchronized void release(long permit) {
		if (isProbe(permit)) {
			this.probe = NOT_A_PROBE;
		}
	}

	private boolean isProbe(long permit) {
		return permit > NOT_A_PROBE && permit == this.probe;
	}

	/**
	 * Take the entry out of rotation until {@link #reset()}.
	 */
	public void forceOpen() {
		CircuitStateChangedEvent event;
		synchronized (this) {
			this.openUntil = null;
			this.probe = NOT_A_PROBE;
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
			this.probe = NOT_A_PROBE;
			event = transition(CircuitState.CLOSED, this.clock.instant());
			// Otherwise the fleet's opening would take the entry out again at the next call;
			// and every instance that follows the fleet closes too.
			if (this.fleet != null) {
				this.fleet.closed(this.entry);
				this.follower.published();
			}
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

	/**
	 * A provider's Retry-After longer than the open period keeps the circuit open that long,
	 * but never longer than max-open-duration: a hostile or broken provider must not take an
	 * entry out of rotation for years.
	 */
	private CircuitStateChangedEvent open(Instant now, Duration duration, Failure failure) {
		Duration open = duration;
		if (failure.retryAfter() != null && failure.retryAfter().compareTo(open) > 0) {
			open = failure.retryAfter();
		}
		if (open.compareTo(this.settings.maxOpenDuration()) > 0) {
			open = this.settings.maxOpenDuration();
		}
		this.lastOpenDuration = duration;
		this.openUntil = now.plus(open);
		if (this.fleet != null) {
			this.fleet.opened(this.entry, this.openUntil, open);
			this.follower.published();
		}
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

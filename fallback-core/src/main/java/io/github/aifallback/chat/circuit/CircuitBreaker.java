package io.github.aifallback.chat.circuit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chain entry's circuit breaker, Resilience4j's state machine with the evidence an LLM
 * provider gives: closed while the window of recent calls stays under its failure-rate and
 * slow-call-rate thresholds (and, when asked for, under a count of consecutive failures);
 * open at once on the provider's explicit word (quota exhausted, authentication refused, no
 * such model); half-open with a few permitted calls once the open period ends; closed again
 * with a slow start, or reopened, twice as long only when the probes failed on the
 * provider's own evidence. A {@code Retry-After} is a skip-until for every call. Operators
 * can force it open or closed. Thread-safe: every transition happens once, under this
 * breaker's lock.
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
	 * @since 0.1.0
	 */
	public static final long DENIED = -1;

	/**
	 * What {@link #acquire()} returns when the circuit is closed: the call is no probe.
	 * @since 0.1.0
	 */
	public static final long NOT_A_PROBE = 0;

	/**
	 * What {@link #acquireInPanic()} returns: a call sent in panic mode to an entry whose
	 * circuit is open on inferred evidence. Its success counts towards closing the circuit;
	 * its failure changes nothing (the circuit is open already).
	 * @since 0.1.0
	 */
	public static final long PANIC = -2;

	/** The share of calls a circuit admits when its slow start begins. */
	private static final double SLOW_START_FLOOR = 0.1;

	private static final Logger logger = LoggerFactory.getLogger(CircuitBreaker.class);

	private final String entry;

	private final CircuitBreakerSettings settings;

	private final Clock clock;

	private final Consumer<CircuitTransition> onChange;

	/** The fleet's shared circuit state, or {@code null}: then every hook below costs one null check. */
	private final SharedCircuitState fleet;

	/** How this breaker follows the fleet's words within its own limits, or {@code null} without a fleet. */
	private final FleetFollower follower;

	private final OutcomeWindow window;

	private volatile CircuitState state = CircuitState.CLOSED;

	/** Why the circuit is not closed, or {@code null} when it is. */
	private Evidence evidence;

	private volatile int consecutiveFailures;

	private final LongAdder successes = new LongAdder();

	private long failures;

	/** See {@link #permitsInFlight()}. */
	private final LongAdder permitsInFlight = new LongAdder();

	private volatile Instant lastSuccess;

	private Instant lastFailure;

	private FailureKind lastFailureKind;

	private Instant openUntil;

	private Duration lastOpenDuration;

	/** Until when a provider's {@code Retry-After} keeps every call away, in epoch millis; 0 when none. */
	private volatile long retryAfterUntil;

	/** When the slow start of the last closing ends, in epoch millis; 0 when there is none. */
	private volatile long slowStartUntil;

	private long slowStartBegan;

	/** Calls owed to a ramping circuit: each call offered adds the ramp's share, each admitted takes one. */
	private double slowStartCredit;

	/** The permits of the half-open calls in flight; {@link #NOT_A_PROBE} in free slots. */
	private final long[] probes;

	private int halfOpenStarted;

	private int halfOpenSucceeded;

	private int halfOpenFailed;

	private long probeSequence;

	/**
	 * Create a closed breaker.
	 * @param entry the name of the entry it guards
	 * @param settings when it opens and for how long
	 * @param clock the time source of open periods and of the snapshot's instants
	 * @param onChange called with every state change, outside the breaker's lock, on the
	 * thread that caused it; it must not throw
	 * @since 0.1.0
	 */
	public CircuitBreaker(String entry, CircuitBreakerSettings settings, Clock clock,
			Consumer<CircuitTransition> onChange) {
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
	 * @since 0.1.0
	 */
	public CircuitBreaker(String entry, CircuitBreakerSettings settings, Clock clock,
			Consumer<CircuitTransition> onChange, SharedCircuitState fleet) {
		this.entry = entry;
		this.settings = settings;
		this.clock = clock;
		this.onChange = onChange;
		this.fleet = fleet;
		this.window = new OutcomeWindow(settings.slidingWindowType(), settings.slidingWindowSize());
		this.probes = new long[settings.permittedNumberOfCallsInHalfOpenState()];
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
	 * The settings this breaker runs on.
	 * @return the settings
	 * @since 0.1.0
	 */
	public CircuitBreakerSettings settings() {
		return this.settings;
	}

	/**
	 * The current state, without side effects.
	 * @return the state
	 */
	public CircuitState state() {
		return this.state;
	}

	/**
	 * Ask to send a call to this entry now. Closed: granted, but while a slow start ramps
	 * only for its share of the calls offered. Open: denied until the open period ends, then
	 * half-open: granted to the permitted number of calls. Denied whatever the state while a
	 * provider's {@code Retry-After} is in force. The permit returned names the call that
	 * holds it: only a half-open call's outcome can close or reopen the circuit, so a late
	 * result of an older call can neither release nor double-count a probe. Every granted
	 * permit must be followed by {@link #recordSuccess(long)},
	 * {@link #recordFailure(Failure, long)} or {@link #release(long)}.
	 * @return {@link #DENIED}, {@link #NOT_A_PROBE}, or a half-open call's id (positive)
	 * @since 0.1.0
	 */
	public long acquire() {
		// The common case reads three volatile fields and takes no lock.
		if (this.state == CircuitState.CLOSED && this.slowStartUntil == 0 && this.retryAfterUntil == 0
				&& (this.fleet == null || !fleetHasWord())) {
			this.permitsInFlight.increment();
			return NOT_A_PROBE;
		}
		CircuitTransition event = null;
		long permit;
		synchronized (this) {
			Instant now = this.clock.instant();
			if (this.fleet != null) {
				event = followFleet(now);
			}
			if (retryAfterInForce(now.toEpochMilli()) || (this.fleet != null && fleetRetryAfterInForce())) {
				permit = DENIED;
			}
			else {
				if (this.state == CircuitState.OPEN && !now.isBefore(this.openUntil)) {
					// followFleet never changes state when it leaves the circuit OPEN and over
					event = halfOpen(now);
				}
				permit = switch (this.state) {
					case CLOSED -> slowStartAdmits(now.toEpochMilli()) ? NOT_A_PROBE : DENIED;
					case HALF_OPEN -> halfOpenPermit();
					case OPEN, FORCED_OPEN -> DENIED;
				};
			}
		}
		publish(event);
		if (permit != DENIED) {
			this.permitsInFlight.increment();
		}
		return permit;
	}

	/**
	 * Ask to send a call that every entry refused. A closed circuit whose slow start refused
	 * it takes it after all (a ramp shifts traffic to other entries; it must not refuse a
	 * call none of them took). Otherwise granted, in panic mode, only while the circuit keeps
	 * its entry out on inferred evidence alone (never against a provider's explicit word or
	 * an operator).
	 * @return {@link #NOT_A_PROBE} (closed, ramping), {@link #PANIC} or {@link #DENIED}
	 * @since 0.1.0
	 */
	public synchronized long acquireInPanic() {
		Instant now = this.clock.instant();
		long permit;
		if (this.state == CircuitState.CLOSED && this.slowStartUntil != 0 && !retryAfterInForce(now.toEpochMilli())
				&& (this.fleet == null || !fleetHasWord())) {
			permit = NOT_A_PROBE;
		}
		else {
			permit = (keptOutBy(now) == Evidence.INFERRED) ? PANIC : DENIED;
		}
		if (permit != DENIED) {
			this.permitsInFlight.increment();
		}
		return permit;
	}

	/**
	 * Take a settled permit again for a retry of the same call, which the chain decided
	 * (with this circuit closed) after the failure that settled it: no admission is asked,
	 * the permit is in flight again and must be settled once more.
	 * @param permit what {@link #acquire()} granted the call
	 * @return the same permit
	 * @since 0.1.0
	 */
	public long reacquire(long permit) {
		this.permitsInFlight.increment();
		return permit;
	}

	/**
	 * Permits granted and not yet followed by an outcome or a release: the calls in flight
	 * on this entry. Each granted permit must be settled exactly once, so this returns to 0
	 * when the entry is idle (the chain's invariant, checked by its property tests).
	 * @return the permits in flight
	 * @since 0.1.0
	 */
	public long permitsInFlight() {
		return this.permitsInFlight.sum();
	}

	/**
	 * Whether the circuit is closed and ramping its traffic up after closing (no side effects).
	 * @return whether a slow start is in progress
	 * @since 0.1.0
	 */
	public boolean isSlowStarting() {
		long until = this.slowStartUntil;
		return this.state == CircuitState.CLOSED && until != 0 && this.clock.millis() < until;
	}

	/**
	 * Why the entry cannot take a call now, without side effects: {@code null} when it can
	 * (or may, while a slow start ramps).
	 * @return the evidence that keeps it out, or {@code null}
	 * @since 0.1.0
	 */
	public Evidence keptOutBy() {
		if (this.state == CircuitState.CLOSED && this.retryAfterUntil == 0 && (this.fleet == null || !fleetHasWord())) {
			return null;
		}
		synchronized (this) {
			return keptOutBy(this.clock.instant());
		}
	}

	private Evidence keptOutBy(Instant now) {
		if (this.state == CircuitState.FORCED_OPEN) {
			return Evidence.OPERATOR;
		}
		if (retryAfterInForce(now.toEpochMilli()) || (this.fleet != null && fleetRetryAfterInForce())) {
			return Evidence.EXPLICIT;
		}
		return switch (this.state) {
			case CLOSED -> (this.fleet != null && this.follower.hasOpening()) ? Evidence.INFERRED : null;
			case HALF_OPEN -> (this.halfOpenStarted < this.probes.length) ? null : this.evidence;
			case OPEN -> now.isBefore(this.openUntil) ? this.evidence : null;
			case FORCED_OPEN -> Evidence.OPERATOR;
		};
	}

	/**
	 * Whether {@link #acquire()} could grant a call now (no side effects; while a slow start
	 * ramps, whether it may).
	 * @return whether the entry is available
	 */
	public boolean isAvailable() {
		return keptOutBy() == null;
	}

	private boolean retryAfterInForce(long nowMillis) {
		long until = this.retryAfterUntil;
		if (until == 0) {
			return false;
		}
		if (nowMillis < until) {
			return true;
		}
		this.retryAfterUntil = 0;
		return false;
	}

	/**
	 * While a slow start ramps, admit its share of the calls offered: from 10% when the
	 * circuit closed to all of them when the slow-start window ends (Envoy's slow start).
	 * Counted, not drawn at random, so that the share holds over any run of calls.
	 */
	private boolean slowStartAdmits(long nowMillis) {
		if (this.slowStartUntil == 0) {
			return true;
		}
		if (nowMillis >= this.slowStartUntil) {
			this.slowStartUntil = 0;
			return true;
		}
		double elapsed = (double) (nowMillis - this.slowStartBegan) / (this.slowStartUntil - this.slowStartBegan);
		this.slowStartCredit += Math.max(SLOW_START_FLOOR, elapsed);
		if (this.slowStartCredit >= 1 - 1e-9) {
			this.slowStartCredit -= 1;
			return true;
		}
		return false;
	}

	private long halfOpenPermit() {
		if (this.halfOpenStarted >= this.probes.length) {
			return DENIED;
		}
		// One instance of a fleet sends the first probe of an open period.
		if (this.halfOpenStarted == 0 && this.halfOpenSucceeded == 0 && this.halfOpenFailed == 0
				&& this.fleet != null && !this.fleet.mayProbe(this.entry, this.openUntil)) {
			return DENIED;
		}
		long permit = ++this.probeSequence;
		for (int i = 0; i < this.probes.length; i++) {
			if (this.probes[i] == NOT_A_PROBE) {
				this.probes[i] = permit;
				break;
			}
		}
		this.halfOpenStarted++;
		return permit;
	}

	/** Free the permit's slot, if it is a half-open call in flight; whether it was. */
	private boolean endProbe(long permit) {
		if (permit <= NOT_A_PROBE) {
			return false;
		}
		for (int i = 0; i < this.probes.length; i++) {
			if (this.probes[i] == permit) {
				this.probes[i] = NOT_A_PROBE;
				return true;
			}
		}
		return false;
	}

	/**
	 * Lock-free: whether the fleet has a word this breaker must act on or obey (an opening it
	 * has not followed, or another instance's Retry-After).
	 */
	private boolean fleetHasWord() {
		return this.follower.hasOpening() || fleetRetryAfterInForce();
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
	private CircuitTransition followFleet(Instant now) {
		FleetFollower.Step step = this.follower.follow(now, this.state, this.openUntil, this.halfOpenStarted > 0);
		switch (step) {
			case OPEN -> {
				this.openUntil = this.follower.until();
				this.lastOpenDuration = this.settings.openDuration();
				this.evidence = (this.evidence != null) ? this.evidence : Evidence.INFERRED;
				logger.debug("AI fallback: circuit of '{}' opened by the fleet until {}", this.entry, this.openUntil);
				if (this.state == CircuitState.HALF_OPEN) {
					clearHalfOpen();
				}
				return transition(CircuitState.OPEN, now, "opened by the fleet");
			}
			case HALF_OPEN -> {
				this.openUntil = now;
				this.lastOpenDuration = this.settings.openDuration();
				this.evidence = (this.evidence != null) ? this.evidence : Evidence.INFERRED;
				return halfOpen(now);
			}
			case CLOSE -> {
				CircuitTransition closed = close(now, "closed by the fleet", false);
				this.openUntil = null;
				return closed;
			}
			default -> {
				return null;
			}
		}
	}

	/**
	 * Record a successful attempt that took {@code took}: in the window while closed; while
	 * half-open, towards closing. A success of a call admitted before the circuit opened is
	 * counted but changes no state.
	 * @param permit what {@link #acquire()} or {@link #acquireInPanic()} granted the call
	 * @param took how long the attempt took, to tell slow calls
	 * @since 0.1.0
	 */
	public void recordSuccess(long permit, Duration took) {
		this.permitsInFlight.decrement();
		Instant now = this.clock.instant();
		this.successes.increment();
		this.lastSuccess = now;
		boolean slow = took != null && took.compareTo(this.settings.slowCallDurationThreshold()) >= 0;
		CircuitTransition event = null;
		CircuitTransition halfOpened = null;
		synchronized (this) {
			if (this.state == CircuitState.CLOSED) {
				this.consecutiveFailures = 0;
				this.window.record(false, slow, now.toEpochMilli());
				String why = slow ? slowCallReason(now.toEpochMilli()) : null;
				if (why != null) {
					event = open(now, this.settings.openDuration(), null, Evidence.INFERRED, why);
				}
			}
			else if (this.state == CircuitState.HALF_OPEN && (endProbe(permit) || permit == PANIC)) {
				this.halfOpenSucceeded++;
				event = judgeHalfOpen(now, null);
			}
			else if (this.state == CircuitState.OPEN && permit == PANIC && this.evidence == Evidence.INFERRED) {
				// A call sent in panic answered: the entry is worth probing now.
				halfOpened = halfOpen(now);
				this.halfOpenSucceeded++;
				event = judgeHalfOpen(now, null);
			}
		}
		publish(halfOpened);
		publish(event);
	}

	/**
	 * Record a successful attempt of unknown duration.
	 * @param permit what {@link #acquire()} granted the call
	 * @since 0.1.0
	 */
	public void recordSuccess(long permit) {
		recordSuccess(permit, null);
	}

	/**
	 * Record a failed attempt. Failures about the request (bad request, context too long,
	 * invalid response) are counted but never open the circuit. A {@code Retry-After} keeps
	 * every call away that long (capped by max-open-duration). The provider's explicit word
	 * (quota, authentication, no such model) opens the circuit at once; other failures go
	 * to the window, which opens it at its thresholds. A failed half-open call reopens it:
	 * twice as long when the failure is the provider's own evidence, as long as before when
	 * it is a timeout. A late failure of a call admitted before the circuit opened is counted
	 * but changes no state.
	 * @param failure the classified failure
	 * @param permit what {@link #acquire()} granted the call
	 * @since 0.1.0
	 */
	public void recordFailure(Failure failure, long permit) {
		this.permitsInFlight.decrement();
		CircuitTransition event = null;
		synchronized (this) {
			Instant now = this.clock.instant();
			long nowMillis = now.toEpochMilli();
			this.failures++;
			this.lastFailure = now;
			this.lastFailureKind = failure.kind();
			boolean probe = endProbe(permit);
			if (!CircuitBreakerSettings.countsAgainstModel(failure.kind())) {
				if (probe) {
					// Says nothing of the model: another half-open call may go instead.
					this.halfOpenStarted--;
				}
				return;
			}
			if (failure.retryAfter() != null) {
				skipFor(failure.retryAfter(), nowMillis);
				if (this.fleet != null && !failure.retryAfter().isNegative() && !failure.retryAfter().isZero()) {
					this.follower.retryAfter(failure.retryAfter());
				}
			}
			this.consecutiveFailures++;
			boolean explicit = CircuitBreakerSettings.isExplicit(failure.kind());
			if (this.state == CircuitState.CLOSED) {
				this.window.record(true, false, nowMillis);
				String why = explicit ? failure.kind() + ": the provider's explicit word" : windowSaysOpen(nowMillis);
				if (why != null) {
					event = open(now, this.settings.openDuration(), failure,
							explicit ? Evidence.EXPLICIT : Evidence.INFERRED, why);
				}
			}
			else if (this.state == CircuitState.HALF_OPEN && (probe || permit == PANIC)) {
				this.halfOpenFailed++;
				if (explicit) {
					event = open(now, grown(failure), failure, Evidence.EXPLICIT,
							failure.kind() + " from a half-open call");
				}
				else {
					event = judgeHalfOpen(now, failure);
				}
			}
		}
		publish(event);
	}

	/** Why the window opens the circuit now, or {@code null}. */
	private String windowSaysOpen(long nowMillis) {
		int threshold = this.settings.failureThreshold();
		if (threshold > 0 && this.consecutiveFailures >= threshold) {
			return this.consecutiveFailures + " consecutive failures";
		}
		float failureRate = this.window.failureRate(this.settings.minimumNumberOfCalls(), nowMillis);
		if (failureRate >= this.settings.failureRateThreshold()) {
			return "failure rate " + rate(failureRate) + "% of the last " + this.window.calls(nowMillis) + " calls";
		}
		return slowCallReason(nowMillis);
	}

	/** Why the window's slow calls open the circuit now, or {@code null}. */
	private String slowCallReason(long nowMillis) {
		float slowCallRate = this.window.slowCallRate(this.settings.minimumNumberOfCalls(), nowMillis);
		return (slowCallRate >= this.settings.slowCallRateThreshold()) ? "slow-call rate " + rate(slowCallRate)
				+ "% reached" : null;
	}

	/**
	 * Decide a half-open period once its calls tell enough: reopen as soon as the failed
	 * ones reach the failure-rate threshold of the permitted calls, close when every
	 * permitted call reported without reaching it.
	 * @param failure the failure just recorded, or {@code null} after a success
	 */
	private CircuitTransition judgeHalfOpen(Instant now, Failure failure) {
		int permitted = this.probes.length;
		if (this.halfOpenFailed > 0
				&& this.halfOpenFailed * 100f / permitted >= this.settings.failureRateThreshold()) {
			Failure last = (failure != null) ? failure : new Failure(this.lastFailureKind, 0, null);
			return open(now, grown(last), failure, this.evidence, this.halfOpenFailed + " of " + permitted
					+ " half-open call(s) failed, the last with " + last.kind());
		}
		if (this.halfOpenSucceeded + this.halfOpenFailed >= permitted) {
			return close(now, this.halfOpenSucceeded + " of " + permitted + " half-open call(s) succeeded", true);
		}
		return null;
	}

	/**
	 * The next open period after a failed half-open period: twice the last when the failure
	 * is the provider's own evidence, the same when it is a timeout (which also follows a
	 * flood of our own calls), never more than max-open-duration.
	 */
	private Duration grown(Failure failure) {
		Duration last = (this.lastOpenDuration != null) ? this.lastOpenDuration : this.settings.openDuration();
		if (!CircuitBreakerSettings.isProviderEvidence(failure.kind())) {
			return last;
		}
		Duration twice = last.multipliedBy(2);
		return (twice.compareTo(this.settings.maxOpenDuration()) > 0) ? this.settings.maxOpenDuration() : twice;
	}

	/** Keep every call away for {@code wait}, never longer than max-open-duration. */
	private void skipFor(Duration wait, long nowMillis) {
		Duration capped = (wait.compareTo(this.settings.maxOpenDuration()) > 0) ? this.settings.maxOpenDuration()
				: wait;
		long until = nowMillis + capped.toMillis();
		if (until > this.retryAfterUntil) {
			this.retryAfterUntil = until;
		}
	}

	/**
	 * Give back a permit without an outcome (the call abandoned the attempt, or it ended in
	 * a way that says nothing about the model). Only a half-open call's own permit frees its
	 * slot.
	 * @param permit what {@link #acquire()} granted the call
	 * @since 0.1.0
	 */
	public synchronized void release(long permit) {
		this.permitsInFlight.decrement();
		if (endProbe(permit)) {
			this.halfOpenStarted--;
		}
	}

	/**
	 * Take the entry out of rotation until {@link #reset()}.
	 */
	public void forceOpen() {
		CircuitTransition event;
		synchronized (this) {
			this.openUntil = null;
			this.evidence = Evidence.OPERATOR;
			clearHalfOpen();
			event = transition(CircuitState.FORCED_OPEN, this.clock.instant(), "forced open by an operator");
		}
		publish(event);
	}

	/**
	 * Close the circuit and reset its counters: put the entry back in rotation, at once (no
	 * slow start: an operator asked for it).
	 */
	public void reset() {
		CircuitTransition event;
		synchronized (this) {
			this.consecutiveFailures = 0;
			this.successes.reset();
			this.failures = 0;
			this.lastOpenDuration = null;
			this.openUntil = null;
			this.evidence = null;
			this.retryAfterUntil = 0;
			this.slowStartUntil = 0;
			this.window.reset();
			clearHalfOpen();
			event = transition(CircuitState.CLOSED, this.clock.instant(), "reset by an operator");
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
		Instant now = this.clock.instant();
		long nowMillis = now.toEpochMilli();
		int minimum = this.settings.minimumNumberOfCalls();
		return new CircuitSnapshot(this.entry, this.state, this.consecutiveFailures, this.successes.sum(), this.failures,
				this.lastSuccess, this.lastFailure, this.lastFailureKind,
				(this.state == CircuitState.OPEN) ? this.openUntil : null, this.window.failureRate(minimum, nowMillis),
				this.window.slowCallRate(minimum, nowMillis), keptOutBy(now),
				retryAfterInForce(nowMillis) ? Instant.ofEpochMilli(this.retryAfterUntil) : null,
				(this.slowStartUntil > nowMillis) ? Instant.ofEpochMilli(this.slowStartUntil) : null);
	}

	/**
	 * Open for {@code duration}, or as long as a provider's Retry-After asks when longer,
	 * but never longer than max-open-duration: a hostile or broken provider must not take an
	 * entry out of rotation for years.
	 * @param failure the failure that opens it, or {@code null}
	 */
	private CircuitTransition open(Instant now, Duration duration, Failure failure, Evidence why,
			String reason) {
		Duration open = duration;
		if (failure != null && failure.retryAfter() != null && failure.retryAfter().compareTo(open) > 0) {
			open = failure.retryAfter();
		}
		if (open.compareTo(this.settings.maxOpenDuration()) > 0) {
			open = this.settings.maxOpenDuration();
		}
		this.lastOpenDuration = duration;
		this.openUntil = now.plus(open);
		this.evidence = (why != null) ? why : Evidence.INFERRED;
		this.slowStartUntil = 0;
		clearHalfOpen();
		if (this.fleet != null) {
			this.fleet.opened(this.entry, this.openUntil, open);
			this.follower.published();
		}
		CircuitTransition event = transition(CircuitState.OPEN, now, reason);
		if (event == null) {
			return null;
		}
		logger.warn("AI fallback: circuit of '{}' opened until {} ({} evidence: {})", this.entry, this.openUntil,
				this.evidence.name().toLowerCase(java.util.Locale.ROOT), reason);
		return event;
	}

	private CircuitTransition halfOpen(Instant now) {
		clearHalfOpen();
		return transition(CircuitState.HALF_OPEN, now, "open period over");
	}

	/** Close after a good half-open period: the window starts again, and a slow start ramps. */
	private CircuitTransition close(Instant now, String reason, boolean tellFleet) {
		this.consecutiveFailures = 0;
		this.lastOpenDuration = null;
		this.evidence = null;
		this.window.reset();
		clearHalfOpen();
		Duration slowStart = this.settings.slowStart();
		if (!slowStart.isZero()) {
			this.slowStartBegan = now.toEpochMilli();
			// The first call offered is admitted.
			this.slowStartCredit = 1 - SLOW_START_FLOOR;
			this.slowStartUntil = this.slowStartBegan + slowStart.toMillis();
		}
		if (this.fleet != null && tellFleet) {
			this.fleet.closed(this.entry);
			this.follower.published();
		}
		CircuitTransition event = transition(CircuitState.CLOSED, now, reason);
		if (event != null) {
			logger.info("AI fallback: circuit of '{}' closed ({}){}", this.entry, reason,
					slowStart.isZero() ? "" : "; taking traffic back over " + slowStart.toMillis() + " ms");
		}
		return event;
	}

	private void clearHalfOpen() {
		java.util.Arrays.fill(this.probes, NOT_A_PROBE);
		this.halfOpenStarted = 0;
		this.halfOpenSucceeded = 0;
		this.halfOpenFailed = 0;
	}

	private CircuitTransition transition(CircuitState to, Instant now, String reason) {
		CircuitState from = this.state;
		if (from == to) {
			return null;
		}
		this.state = to;
		logger.debug("AI fallback: circuit of '{}' {} -> {} ({})", this.entry, from, to, reason);
		return new CircuitTransition(this.entry, from, to, (to == CircuitState.OPEN) ? this.openUntil : null,
				now, (to == CircuitState.CLOSED) ? null : this.evidence);
	}

	private static String rate(float rate) {
		return String.valueOf(Math.round(rate * 10) / 10f);
	}

	private void publish(CircuitTransition event) {
		if (event != null) {
			this.onChange.accept(event);
		}
	}

	@Override
	public String toString() {
		return "CircuitBreaker[" + this.entry + ", " + this.state + "]";
	}

}

package io.github.aifallback.chat;

import java.time.Duration;

import io.github.aifallback.chat.event.CallCompletedEvent;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.observation.DefaultFallbackAttemptObservationConvention;
import io.github.aifallback.chat.observation.DefaultFallbackCallObservationConvention;
import io.github.aifallback.chat.observation.FallbackAttemptObservationContext;
import io.github.aifallback.chat.observation.FallbackCallObservationContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's observations: the call's, the attempt running now, and the backoff wait before
 * the next one. Attempts and waits are sequential within a call, so one of each at a time,
 * except in a hedged race: there two attempts run at once, each with its own observation,
 * and the race {@link #select selects} the one it records before recording it (the
 * recording methods apply to the current attempt). With the no-op registry it is
 * {@link #NONE}, and every method returns at its first line: the hot path pays one null
 * check. Observation handlers are the application's code and may
 * throw: the chain goes on (STYLE.md, habit 14).
 */
final class CallObservation {

	static final CallObservation NONE = new CallObservation(null, null, null);

	/** The wait's observation: a plain context named here, filters can still change it. */
	static final String BACKOFF = "ai.fallback.backoff";

	private static final DefaultFallbackCallObservationConvention CALL_DEFAULTS =
			new DefaultFallbackCallObservationConvention();

	private static final DefaultFallbackAttemptObservationConvention ATTEMPT_DEFAULTS =
			new DefaultFallbackAttemptObservationConvention();

	private static final Logger logger = LoggerFactory.getLogger(ResilientChatClient.class);

	private final ChainRuntime runtime;

	private final Observation call;

	private final FallbackCallObservationContext context;

	/** The attempt the recording methods apply to, or {@code null}. */
	private Attempt attempt;

	/** In a hedged race, the other attempt still running; else {@code null}. */
	private Attempt aside;

	private Observation backoff;

	private boolean stopped;

	private CallObservation(ChainRuntime runtime, Observation call, FallbackCallObservationContext context) {
		this.runtime = runtime;
		this.call = call;
		this.context = context;
	}

	/**
	 * Start a call's observation, under {@code parent} or else the thread's current one.
	 * @param parent the parent (a stream's, from its Reactor context), or {@code null}
	 */
	static CallObservation start(ChainRuntime runtime, boolean stream, Observation parent) {
		ObservationRegistry registry = runtime.observationRegistry;
		if (registry.isNoop()) {
			return NONE;
		}
		try {
			FallbackCallObservationContext context = new FallbackCallObservationContext(stream);
			Observation call = Observation.createNotStarted(runtime.callConvention, CALL_DEFAULTS, () -> context,
					registry);
			if (parent != null) {
				call.parentObservation(parent);
			}
			return new CallObservation(runtime, call.start(), context);
		}
		catch (RuntimeException ex) {
			logger.warn("AI fallback: starting the call's observation failed: {}", ex.toString());
			return NONE;
		}
	}

	/**
	 * Start an attempt's observation, a child of the call's, and make it current; the wait
	 * before it ends. An attempt still running (a hedge starts beside it) is kept aside.
	 * @return the observation, to make current while the entry's model runs; {@code null}
	 * when nothing is observed
	 */
	Observation attemptStarted(ResolvedEntry entry, int attempt, int maxAttempts) {
		if (this.call == null) {
			return null;
		}
		waited();
		if (this.attempt != null) {
			if (this.aside != null) {
				// Never more than two at once: one left over is over.
				this.aside.context.setCancelled();
				stop(this.aside.observation);
			}
			this.aside = this.attempt;
			this.attempt = null;
		}
		try {
			FallbackAttemptObservationContext context = new FallbackAttemptObservationContext(entry.name(),
					entry.model(), attempt, maxAttempts);
			Observation observation = Observation
				.createNotStarted(this.runtime.attemptConvention, ATTEMPT_DEFAULTS, () -> context,
						this.runtime.observationRegistry)
				.parentObservation(this.call)
				.start();
			this.attempt = new Attempt(observation, context);
			return observation;
		}
		catch (RuntimeException ex) {
			logger.warn("AI fallback: starting an attempt's observation failed: {}", ex.toString());
			this.attempt = null;
			return null;
		}
	}

	/**
	 * In a hedged race: make the attempt observed by {@code observed} the one recorded next,
	 * the other kept aside. One that is not running (its observation failed to start, or it
	 * has stopped) makes none current, so that recording it stops nothing. Called by races
	 * only.
	 * @param observed what {@link #attemptStarted} returned for that attempt, or {@code null}
	 */
	void select(Observation observed) {
		if (this.call == null || this.aside == null && (this.attempt == null || this.attempt.observation == observed)) {
			return;
		}
		if (this.attempt != null && this.attempt.observation == observed) {
			return;
		}
		if (this.aside != null && this.aside.observation == observed) {
			Attempt current = this.attempt;
			this.attempt = this.aside;
			this.aside = current;
		}
		else if (this.aside == null) {
			this.aside = this.attempt;
			this.attempt = null;
		}
	}

	void attemptSucceeded() {
		if (this.attempt != null) {
			this.attempt.context.setSucceeded();
			stopAttempt();
		}
	}

	void attemptFailed(FailureKind kind, FailureAction action) {
		if (this.attempt != null) {
			this.attempt.context.setFailed(kind, action);
			stopAttempt();
		}
	}

	/** The attempt ended with neither an answer nor a classified failure (cancelled). */
	void attemptAbandoned() {
		if (this.attempt != null) {
			this.attempt.context.setCancelled();
			stopAttempt();
		}
	}

	/**
	 * The chain waits before retrying {@code entry}: a child of the call until the retry
	 * starts. Not while a hedged race still runs another attempt: a decision recorded then
	 * is acted on only if the race ends without an answer, and the race then says so again.
	 */
	void waiting(ResolvedEntry entry, Duration wait) {
		// A wait already observed stays the one: a race's end may say it again.
		if (this.call == null || wait.isZero() || this.aside != null || this.backoff != null) {
			return;
		}
		try {
			this.backoff = Observation.createNotStarted(BACKOFF, this.runtime.observationRegistry)
				.contextualName("ai.fallback backoff " + entry.name())
				.lowCardinalityKeyValue(DefaultFallbackAttemptObservationConvention.ENTRY, entry.name())
				.highCardinalityKeyValue("ai.fallback.backoff.millis", Long.toString(wait.toMillis()))
				.parentObservation(this.call)
				.start();
		}
		catch (RuntimeException ex) {
			logger.warn("AI fallback: starting a backoff's observation failed: {}", ex.toString());
		}
	}

	/** The wait, if any, is over. */
	void waited() {
		Observation backoff = this.backoff;
		this.backoff = null;
		if (backoff != null) {
			stop(backoff);
		}
	}

	void completed(CallCompletedEvent.Outcome outcome, String servedBy, int attempts) {
		if (this.call != null) {
			this.context.setCompleted(outcome, servedBy, attempts);
		}
	}

	/** End the call's observation, and whatever of its children still runs. Idempotent. */
	void stop() {
		if (this.call == null || this.stopped) {
			return;
		}
		this.stopped = true;
		if (this.context.getOutcome() == null) {
			this.context.setCancelled();
		}
		attemptAbandoned();
		if (this.aside != null) {
			this.attempt = this.aside;
			this.aside = null;
			attemptAbandoned();
		}
		waited();
		stop(this.call);
	}

	private void stopAttempt() {
		Observation attempt = this.attempt.observation;
		this.attempt = null;
		stop(attempt);
	}

	/** An attempt's observation and its context, where its outcome goes. */
	private record Attempt(Observation observation, FallbackAttemptObservationContext context) {
	}

	private static void stop(Observation observation) {
		try {
			observation.stop();
		}
		catch (RuntimeException ex) {
			logger.warn("AI fallback: stopping an observation failed: {}", ex.toString());
		}
	}

}

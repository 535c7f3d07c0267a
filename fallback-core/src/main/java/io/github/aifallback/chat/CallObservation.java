package io.github.aifallback.chat;

import java.time.Duration;

import io.github.aifallback.chat.event.CallCompletedEvent;
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
 * the next one. Attempts and waits are sequential within a call, so one of each at a time.
 * With the no-op registry it is {@link #NONE}, and every method returns at its first line:
 * the hot path pays one null check. Observation handlers are the application's code and may
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

	private Observation attempt;

	private FallbackAttemptObservationContext attemptContext;

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
	 * Start an attempt's observation, a child of the call's; the wait before it ends.
	 * @return the observation, to make current while the entry's model runs; {@code null}
	 * when nothing is observed
	 */
	Observation attemptStarted(ResolvedEntry entry, int attempt, int maxAttempts) {
		if (this.call == null) {
			return null;
		}
		waited();
		try {
			this.attemptContext = new FallbackAttemptObservationContext(entry.name(), entry.model(), attempt,
					maxAttempts);
			FallbackAttemptObservationContext context = this.attemptContext;
			this.attempt = Observation
				.createNotStarted(this.runtime.attemptConvention, ATTEMPT_DEFAULTS, () -> context,
						this.runtime.observationRegistry)
				.parentObservation(this.call)
				.start();
			return this.attempt;
		}
		catch (RuntimeException ex) {
			logger.warn("AI fallback: starting an attempt's observation failed: {}", ex.toString());
			this.attempt = null;
			return null;
		}
	}

	void attemptSucceeded() {
		if (this.attempt != null) {
			this.attemptContext.setSucceeded();
			stopAttempt();
		}
	}

	void attemptFailed(FailureKind kind, FailureAction action) {
		if (this.attempt != null) {
			this.attemptContext.setFailed(kind, action);
			stopAttempt();
		}
	}

	/** The attempt ended with neither an answer nor a classified failure (cancelled). */
	void attemptAbandoned() {
		if (this.attempt != null) {
			this.attemptContext.setCancelled();
			stopAttempt();
		}
	}

	/** The chain waits before retrying {@code entry}: a child of the call until the retry starts. */
	void waiting(ResolvedEntry entry, Duration wait) {
		if (this.call == null || wait.isZero()) {
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
		waited();
		stop(this.call);
	}

	private void stopAttempt() {
		Observation attempt = this.attempt;
		this.attempt = null;
		stop(attempt);
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

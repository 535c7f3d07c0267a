package io.github.aifallback.chat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.LocalOverloadException;

/**
 * One attempt on one entry, whichever transport runs it (a blocking call, a stream, either
 * side of a hedged race): it owns its circuit permit, its share of the deadline, when it
 * started, and its recording. Its permit is settled exactly once, by the first of a
 * success, a failure (a stream's cut included), an overload or an abandonment; a second
 * settlement records nothing. So who settles a permit, and what counts as a failure, are
 * decided here and in {@link AttemptRecording}, never by each transport.
 */
final class Attempt {

	private static final Logger logger = LoggerFactory.getLogger(ResilientChatClient.class);

	final ResolvedEntry entry;

	final int number;

	final int maxAttempts;

	/** The entry a fallback from here reaches, for the log line and the event; or {@code null}. */
	final String next;

	private final CallContext call;

	private final long permit;

	private final AtomicBoolean settled = new AtomicBoolean();

	private long startedMillis;

	/** Whether it is a race's hedge: its failure's decision is not acted on, the primary's is. */
	private final boolean hedge;

	Attempt(CallContext call, ResolvedEntry entry, long permit, int number, int maxAttempts, String next) {
		this(call, entry, permit, number, maxAttempts, next, false);
	}

	Attempt(CallContext call, ResolvedEntry entry, long permit, int number, int maxAttempts, String next,
			boolean hedge) {
		this.hedge = hedge;
		this.call = call;
		this.entry = entry;
		this.permit = permit;
		this.number = number;
		this.maxAttempts = maxAttempts;
		this.next = next;
		this.startedMillis = call.now();
	}

	/** The request goes out now: what it takes is measured from here. */
	void start() {
		this.startedMillis = this.call.now();
	}

	/** How long it has taken so far. */
	Duration took() {
		return this.call.since(this.startedMillis);
	}

	/** Its timeout: the entry's, cut to the entry's share of the time the call has left. */
	Duration timeout() {
		return this.call.within(this.entry.timeout(), this.entry);
	}

	/** A stream's first-token timeout, cut the same way. */
	Duration firstTokenTimeout() {
		return this.call.within(this.entry.firstTokenTimeout(), this.entry);
	}

	/** The answer came: recorded on the entry's circuit, with how long it took. */
	void succeeded(Duration took) {
		if (settle("success")) {
			this.call.recording.succeeded(this.entry, this.permit, this.number, took);
		}
	}

	/**
	 * It failed: classified, recorded on the entry's circuit, logged and published; the
	 * decision (retry, fall back, stop) comes back to be thrown.
	 */
	FailedAttempt failed(Throwable ex, Duration took) {
		if (!settle("failure")) {
			return new FailedAttempt(FailureAction.FALL_BACK, Duration.ZERO, ex);
		}
		// A hedge's failure moves the call nowhere: no fallback is said (its next is only
		// where a cut of it, once it won, continues).
		return this.call.recording.failed(this.entry, this.permit, this.number, this.maxAttempts,
				this.hedge ? null : this.next, ex, took);
	}

	/**
	 * A stream failed after its first token: recorded as a failure, and the exception that
	 * ends the call unless it continues on {@code continueOn}.
	 */
	StreamInterruptedException cut(Throwable ex, int chunks, int characters, String continueOn) {
		settle("cut");
		return this.call.recording.interrupted(this.entry, this.permit, this.number, this.maxAttempts, ex, took(), chunks,
				characters, continueOn);
	}

	/** The entry was full on our side: nothing recorded against the provider; the call moves on. */
	FailedAttempt overloaded(String why) {
		if (!settle("overload")) {
			return new FailedAttempt(FailureAction.FALL_BACK, Duration.ZERO, null);
		}
		return this.call.recording.overloaded(this.entry, this.permit, why);
	}

	/**
	 * It ended in {@code ex} before it committed to an answer (a blocking call, or a stream
	 * before its first token): what that is, decided here for every transport. A failure
	 * already recorded goes on as it is; our own overload (the entry's threads all busy) is
	 * no failure of the provider's; a fatal error gives the permit back and goes on as it
	 * is; anything else is the attempt's failure.
	 * @return what the transport ends the attempt with
	 */
	RuntimeException ended(Throwable ex) {
		if (ex instanceof FailedAttempt recorded) {
			return recorded;
		}
		if (ex instanceof LocalOverloadException busy) {
			this.call.observation.attemptAbandoned();
			return overloaded(String.valueOf(busy.getMessage()));
		}
		if (Fatal.isFatal(ex)) {
			abandon();
			if (ex instanceof Error error) {
				throw error;
			}
			return (ex instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
		}
		return failed(ex, took());
	}

	/** Given up (a lost race, a cancel, a fatal error): the permit goes back, nothing recorded. */
	void abandon() {
		if (settle("abandonment")) {
			this.entry.breaker().release(this.permit);
		}
	}

	private boolean settle(String how) {
		if (this.settled.compareAndSet(false, true)) {
			return true;
		}
		logger.debug("AI fallback: attempt {} on '{}' was settled already; its {} is not recorded", this.number,
				this.entry.name(), how);
		return false;
	}

}

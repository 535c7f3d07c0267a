package io.github.aifallback.chat.lastgood.internal;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last-good store's own breaker: after {@value #FAILURE_THRESHOLD} consecutive failures
 * or time-outs, the store is skipped (reads miss, writes are dropped) for
 * {@link #OPEN_DURATION}; then it is tried again, and one more failure skips it again. A
 * cache that is down (Redis with Boot's 60 s command timeout, say) thus costs a few calls
 * a bounded wait, not every call. Logs at most once a minute.
 */
final class StoreBreaker {

	static final int FAILURE_THRESHOLD = 3;

	static final Duration OPEN_DURATION = Duration.ofSeconds(30);

	private static final Logger logger = LoggerFactory.getLogger(LogLimiter.CLIENT_LOGGER);

	private final String store;

	private final Clock clock;

	private final LogLimiter warnings;

	private int consecutiveFailures;

	/** Lock-free read on the hot path: every write and read asks whether the store is open. */
	private volatile long openUntil = Long.MIN_VALUE;

	StoreBreaker(String store, Clock clock, LogLimiter warnings) {
		this.store = store;
		this.clock = clock;
		this.warnings = warnings;
	}

	/** Whether the store may be used now. */
	boolean allows() {
		long until = this.openUntil;
		return until == Long.MIN_VALUE || this.clock.millis() >= until;
	}

	boolean isOpen() {
		return !allows();
	}

	synchronized void success() {
		this.consecutiveFailures = 0;
		this.openUntil = Long.MIN_VALUE;
	}

	synchronized void failure(String what, Throwable cause) {
		if (isOpen()) {
			return;
		}
		this.consecutiveFailures++;
		logger.debug("AI fallback: last-good store {} {}: {}", this.store, what, (cause != null) ? cause.toString() : "");
		if (this.consecutiveFailures >= FAILURE_THRESHOLD) {
			// One more failure after the open period skips the store again at once.
			this.consecutiveFailures = FAILURE_THRESHOLD - 1;
			this.openUntil = this.clock.millis() + OPEN_DURATION.toMillis();
			if (this.warnings.tryAcquire()) {
				logger.warn("AI fallback: last-good store {} {} ({}); skipping it for {} s: calls neither store "
						+ "nor serve last good answers meanwhile", this.store, what,
						(cause != null) ? cause.toString() : "no error", OPEN_DURATION.toSeconds());
			}
		}
	}

}

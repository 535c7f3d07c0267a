package io.github.aifallback.chat.fleet;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what was read from shared state and dropped because it failed verification
 * (written without the secret, tampered with, or of another format), and says so in a WARN
 * at most once a minute. Never logs the value.
 */
final class SharedRejections {

	private static final Logger logger = LoggerFactory.getLogger(SharedRejections.class);

	private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

	private final String what;

	private final LongAdder count = new LongAdder();

	private final AtomicLong nextWarn = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

	/** @param what where the values come from, for the log line */
	SharedRejections(String what) {
		this.what = what;
	}

	/** A value failed verification and was dropped. */
	void reject(String why) {
		this.count.increment();
		long now = System.nanoTime();
		long next = this.nextWarn.get();
		if (now - next >= 0 && this.nextWarn.compareAndSet(next, now + WARN_EVERY_NANOS)) {
			logger.warn("AI fallback: dropped a value read from {} ({}); {} dropped so far. Something that does not "
					+ "hold this application's secret writes there, or instances use different secrets.", this.what,
					why, this.count.sum());
		}
	}

	/** How many values were dropped since start-up. */
	long count() {
		return this.count.sum();
	}

}

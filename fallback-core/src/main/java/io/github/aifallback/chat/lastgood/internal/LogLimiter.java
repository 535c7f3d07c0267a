package io.github.aifallback.chat.lastgood.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a warning through at most once per interval, so that a cache that fails on every
 * call logs one line a minute rather than one per call.
 */
public final class LogLimiter {

	/**
	 * The logger category of the last-good store's lines: the client's, as users configure it
	 * ({@code io.github.aifallback.chat.ResilientChatClient}), named here so that this package
	 * does not depend on the chain's.
	 */
	static final String CLIENT_LOGGER = "io.github.aifallback.chat.ResilientChatClient";

	private final Clock clock;

	private final long intervalMillis;

	private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);

	LogLimiter(Clock clock, Duration interval) {
		this.clock = clock;
		this.intervalMillis = interval.toMillis();
	}

	/**
	 * Whether to log now; at most one caller per interval gets {@code true}.
	 * @return whether to log
	 */
	public boolean tryAcquire() {
		long now = this.clock.millis();
		long next = this.nextAllowed.get();
		return now >= next && this.nextAllowed.compareAndSet(next, now + this.intervalMillis);
	}

}

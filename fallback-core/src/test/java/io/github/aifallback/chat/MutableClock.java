package io.github.aifallback.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test clock that moves only when told to, or by a fixed step at every read; safe to share
 * between threads.
 */
public final class MutableClock extends Clock {

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	private final AtomicLong nanos = new AtomicLong();

	private final long stepNanos;

	/** A clock that stands still until {@link #advance(Duration)}. */
	public MutableClock() {
		this(Duration.ZERO);
	}

	private MutableClock(Duration step) {
		this.stepNanos = step.toNanos();
	}

	/**
	 * A clock that moves forward by {@code step} at every read.
	 * @param step the step
	 * @return the clock
	 */
	public static MutableClock ticking(Duration step) {
		return new MutableClock(step);
	}

	/**
	 * Move the clock forward.
	 * @param duration how far
	 */
	public void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

	@Override
	public Instant instant() {
		return START.plusNanos(this.nanos.addAndGet(this.stepNanos));
	}

}

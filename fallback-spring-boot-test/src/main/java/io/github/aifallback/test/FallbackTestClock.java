package io.github.aifallback.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.chat.Sleeper;

/**
 * A clock that moves only when told to, and the chain's {@link Sleeper}: a wait between
 * attempts moves the clock forward instead of sleeping, and is recorded. Open circuits,
 * {@code Retry-After} periods and backoffs then pass in no real time. Safe to share between
 * threads.
 * <p>
 * The HTTP side still runs in real time: an attempt's timeout (a {@code hang()}) or an
 * {@code answerSlowly(..)} delay is real waiting.
 *
 * @since 0.1.0
 */
public final class FallbackTestClock extends Clock implements Sleeper {

	/**
	 * The bean name under which {@link AutoConfigureFallbackSimulator} registers the clock:
	 * the starter's {@code FallbackAutoConfiguration.CLOCK_BEAN_NAME}. Inject it with
	 * {@code @Autowired @Qualifier(FallbackTestClock.BEAN_NAME)}, or as a test method's
	 * parameter.
	 */
	public static final String BEAN_NAME = FallbackAutoConfiguration.CLOCK_BEAN_NAME;

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	private final AtomicLong nanos = new AtomicLong();

	private final List<Duration> waits = new CopyOnWriteArrayList<>();

	/**
	 * Move the clock forward, e.g. past a circuit's open period.
	 * @param duration how far
	 */
	public void advance(Duration duration) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("A clock does not go back: " + duration);
		}
		this.nanos.addAndGet(duration.toNanos());
	}

	/** Moves the clock by the wait the chain asked for, and records it. */
	@Override
	public void sleep(Duration duration) {
		this.waits.add(duration);
		advance(duration.isNegative() ? Duration.ZERO : duration);
	}

	/**
	 * The waits the chain asked for between attempts, in order, since the last
	 * {@link #clearWaits()}.
	 * @return the waits
	 */
	public List<Duration> waits() {
		return List.copyOf(this.waits);
	}

	/** Forget the recorded waits; the time itself never goes back. */
	public void clearWaits() {
		this.waits.clear();
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
		return START.plusNanos(this.nanos.get());
	}

	@Override
	public String toString() {
		return "FallbackTestClock[" + instant() + "]";
	}

}

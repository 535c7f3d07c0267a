package io.github.aifallback.chat;

import java.time.Duration;

/**
 * Waits between attempts. Injectable so tests can record the requested waits instead of
 * sleeping.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Sleeper {

	/**
	 * Wait for the given time.
	 * @param duration how long
	 * @throws InterruptedException when the waiting thread is interrupted
	 */
	void sleep(Duration duration) throws InterruptedException;

	/**
	 * The sleeper that really waits, with {@link Thread#sleep(long)}.
	 * @return the system sleeper
	 */
	static Sleeper system() {
		return (duration) -> Thread.sleep(duration.toMillis());
	}

}

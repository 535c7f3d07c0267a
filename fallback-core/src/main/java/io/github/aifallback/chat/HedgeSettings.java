package io.github.aifallback.chat;

import java.time.Duration;
import java.util.Objects;

/**
 * When a chain entry is hedged: if its attempt has not answered (or, when streaming, sent
 * its first token) after {@code delay}, the chain starts the next admitted entry in
 * parallel, takes whichever answers first and cancels the other. Hedges are capped by the
 * client's hedge budget ({@link ResilientChatClient.Builder#hedgeBudget(double, int)}).
 *
 * @param delay how long the entry's attempt runs alone; with {@code useObservedP95}, the
 * delay used until the entry has enough successful answers to know its p95, and the
 * floor below which the observed p95 is never taken
 * @param useObservedP95 whether to wait the entry's observed p95 of recent successful
 * latencies instead of the fixed delay (never less than {@code delay})
 * @since 0.1.0
 */
public record HedgeSettings(Duration delay, boolean useObservedP95) {

	/**
	 * Validate the settings.
	 */
	public HedgeSettings {
		Objects.requireNonNull(delay, "delay");
		if (delay.isZero() || delay.isNegative()) {
			throw new IllegalArgumentException("The hedge delay must be positive");
		}
	}

	/**
	 * Hedge after a fixed delay.
	 * @param delay the delay
	 * @return the settings
	 */
	public static HedgeSettings after(Duration delay) {
		return new HedgeSettings(delay, false);
	}

	/**
	 * Hedge after the entry's observed p95, never earlier than {@code floor} (also the delay
	 * until enough answers were seen).
	 * @param floor the least delay
	 * @return the settings
	 */
	public static HedgeSettings afterObservedP95(Duration floor) {
		return new HedgeSettings(floor, true);
	}

}

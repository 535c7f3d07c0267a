package io.github.aifallback.chat;

import java.time.Duration;
import java.util.Objects;

/**
 * When a chain entry is hedged: if its attempt has not answered (or, when streaming, sent
 * its first token) after {@code delay}, the chain starts the next admitted entry in
 * parallel, takes whichever answers first and cancels the other. Hedges are capped by the
 * client's hedge budget ({@link ResilientChatClient.Builder#hedgeBudget(double, int)}).
 * Immutable; built with {@link #after(Duration)}, {@link #afterObservedP95(Duration)},
 * {@link #custom()} or {@link #from(HedgeSettings)}, which are the supported way to create
 * it: the canonical constructor stays public (a record's must) but takes every component in
 * order, so it changes whenever a setting is added. There are no defaults: an entry is
 * hedged only when given a delay.
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
	 * Validate the settings; prefer the factories or {@link #custom()}.
	 * @throws IllegalArgumentException when {@code delay} is missing or not positive
	 */
	public HedgeSettings {
		SettingsChecks.requirePositive(delay, "delay");
	}

	/**
	 * Hedge after a fixed delay.
	 * @param delay the delay
	 * @return the settings
	 */
	public static HedgeSettings after(Duration delay) {
		return custom().delay(delay).build();
	}

	/**
	 * Hedge after the entry's observed p95, never earlier than {@code floor} (also the delay
	 * until enough answers were seen).
	 * @param floor the least delay
	 * @return the settings
	 */
	public static HedgeSettings afterObservedP95(Duration floor) {
		return custom().delay(floor).useObservedP95(true).build();
	}

	/**
	 * A builder with no delay yet (it must be set) and the fixed delay chosen.
	 * @return the builder
	 * @since 0.1.0
	 */
	public static Builder custom() {
		return new Builder(null, false);
	}

	/**
	 * A builder starting from other settings.
	 * @param base the settings to start from
	 * @return the builder
	 * @since 0.1.0
	 */
	public static Builder from(HedgeSettings base) {
		Objects.requireNonNull(base, "base");
		return new Builder(base.delay, base.useObservedP95);
	}

	/**
	 * Builds {@link HedgeSettings}; validates when {@link #build()} is called.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private Duration delay;

		private boolean useObservedP95;

		private Builder(Duration delay, boolean useObservedP95) {
			this.delay = delay;
			this.useObservedP95 = useObservedP95;
		}

		/**
		 * How long the entry's attempt runs alone (with {@link #useObservedP95(boolean)}: the
		 * floor, and the delay until the p95 is known).
		 * @param delay positive; required
		 * @return this builder
		 */
		public Builder delay(Duration delay) {
			this.delay = delay;
			return this;
		}

		/**
		 * Whether to wait the entry's observed p95 of recent successful latencies instead of
		 * the fixed delay (never less than it).
		 * @param useObservedP95 whether to (default {@code false})
		 * @return this builder
		 */
		public Builder useObservedP95(boolean useObservedP95) {
			this.useObservedP95 = useObservedP95;
			return this;
		}

		/**
		 * Validate and build.
		 * @return the settings
		 * @throws IllegalArgumentException when {@code delay} is missing or not positive
		 */
		public HedgeSettings build() {
			return new HedgeSettings(this.delay, this.useObservedP95);
		}

	}

}

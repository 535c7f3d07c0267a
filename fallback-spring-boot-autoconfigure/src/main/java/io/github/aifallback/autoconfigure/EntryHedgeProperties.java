package io.github.aifallback.autoconfigure;

import java.time.Duration;

/**
 * Hedging of one entry: when its attempt has not answered (or, streaming, sent its first
 * token) after the delay, the next entry starts in parallel and the first answer wins.
 *
 * @since 0.1.0
 */
public class EntryHedgeProperties {

	/**
	 * How long the entry's attempt runs alone before the next entry is started in
	 * parallel; unset (the default) never hedges the entry. With use-observed-p95, the
	 * floor of the delay and the delay until enough answers were seen.
	 */
	private Duration delay;

	/**
	 * Whether to hedge after the entry's observed p95 latency of recent successful
	 * answers (never less than hedge.delay) instead of after hedge.delay.
	 */
	private Boolean useObservedP95;

	public Duration getDelay() {
		return this.delay;
	}

	public void setDelay(Duration delay) {
		this.delay = delay;
	}

	public Boolean getUseObservedP95() {
		return this.useObservedP95;
	}

	public void setUseObservedP95(Boolean useObservedP95) {
		this.useObservedP95 = useObservedP95;
	}

}

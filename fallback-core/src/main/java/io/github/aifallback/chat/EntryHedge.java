package io.github.aifallback.chat;

import java.time.Duration;

/**
 * One hedged entry's settings as a call uses them, with its recent latencies when it hedges
 * on its observed p95. Entries that are not hedged have none (a {@code null} check per call).
 */
final class EntryHedge {

	private final Duration delay;

	private final LatencyWindow latencies;

	EntryHedge(HedgeSettings settings) {
		this.delay = settings.delay();
		this.latencies = settings.useObservedP95() ? new LatencyWindow() : null;
	}

	/** How long the entry's attempt runs alone before a hedge starts. */
	Duration delay() {
		if (this.latencies == null) {
			return this.delay;
		}
		long p95 = this.latencies.p95();
		return (p95 > this.delay.toMillis()) ? Duration.ofMillis(p95) : this.delay;
	}

	/** A successful answer of the entry took this long (kept only for the observed p95). */
	void answered(Duration took) {
		if (this.latencies != null) {
			this.latencies.record(took.toMillis());
		}
	}

}

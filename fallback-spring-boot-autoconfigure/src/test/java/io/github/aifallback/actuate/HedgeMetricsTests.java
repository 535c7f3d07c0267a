package io.github.aifallback.actuate;

import java.time.Instant;

import io.github.aifallback.chat.event.HedgeEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ai.fallback.hedges}: one count per entry of a hedged race, by outcome.
 */
class HedgeMetricsTests {

	@Test
	void whenHedgedRacesEndThenEachEntryIsCountedByOutcome() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		FallbackMetricsListener listener = new FallbackMetricsListener(registry);
		Instant now = Instant.now();
		listener.onEvent(new HedgeEvent("primary", false, false, now));
		listener.onEvent(new HedgeEvent("secondary", true, true, now));
		listener.onEvent(new HedgeEvent("primary", false, true, now));
		listener.onEvent(new HedgeEvent("secondary", true, false, now));
		listener.onEvent(new HedgeEvent("primary", false, false, now));

		assertThat(registry.get(FallbackMetricsListener.HEDGES).tag("entry", "primary").tag("outcome", "lost")
			.counter().count()).isEqualTo(2);
		assertThat(registry.get(FallbackMetricsListener.HEDGES).tag("entry", "primary").tag("outcome", "won")
			.counter().count()).isEqualTo(1);
		assertThat(registry.get(FallbackMetricsListener.HEDGES).tag("entry", "secondary").tag("outcome", "won")
			.counter().count()).isEqualTo(1);
		assertThat(registry.get(FallbackMetricsListener.HEDGES).counters()).hasSize(4);
	}

}

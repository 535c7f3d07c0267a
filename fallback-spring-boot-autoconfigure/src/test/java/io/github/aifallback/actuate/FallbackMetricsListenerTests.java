package io.github.aifallback.actuate;

import java.time.Duration;
import java.time.Instant;

import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.event.AttemptFailedEvent;
import io.github.aifallback.chat.event.AttemptSucceededEvent;
import io.github.aifallback.chat.event.CallCompletedEvent;
import io.github.aifallback.chat.event.CallNotPermittedEvent;
import io.github.aifallback.chat.event.DegradedResponseEvent;
import io.github.aifallback.chat.event.FellBackEvent;
import io.github.aifallback.chat.event.TokenUsageEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener keeps the meters it registered: each event of a series lands on the same
 * meter, and series with different tags never share one.
 */
class FallbackMetricsListenerTests {

	private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final FallbackMetricsListener listener = new FallbackMetricsListener(this.registry);

	@Test
	void whenServedAnswersReportTokensThenEachEntrysInputAndOutputAreCountedOnTheirOwnSeries() {
		this.listener.onEvent(new TokenUsageEvent("primary", 12, 30, NOW));
		this.listener.onEvent(new TokenUsageEvent("primary", 8, 10, NOW));
		this.listener.onEvent(new TokenUsageEvent("secondary", 5, 0, NOW));

		assertThat(count(FallbackMetricsListener.TOKEN_USAGE, "entry", "primary", "type", "input")).isEqualTo(20);
		assertThat(count(FallbackMetricsListener.TOKEN_USAGE, "entry", "primary", "type", "output")).isEqualTo(40);
		assertThat(count(FallbackMetricsListener.TOKEN_USAGE, "entry", "secondary", "type", "input")).isEqualTo(5);
		assertThat(this.registry.find(FallbackMetricsListener.TOKEN_USAGE).tag("entry", "secondary").tag("type", "output")
			.counter()).as("no series for nothing reported").isNull();
	}

	@Test
	void whenAttemptsAndCallsCompleteThenTheListenerRegistersNoSecondMeterOfTheirDurationsOrCounts() {
		this.listener.onEvent(new AttemptSucceededEvent("primary", 1, Duration.ofMillis(5), NOW));
		this.listener.onEvent(new AttemptFailedEvent("primary", 1, 2, Failure.of(FailureKind.RATE_LIMITED),
				Duration.ofMillis(5), FailureAction.FALL_BACK, NOW));
		this.listener.onEvent(new CallCompletedEvent("primary", CallCompletedEvent.Outcome.SERVED, 1,
				Duration.ofMillis(10), NOW));

		// The observations' timers ai.fallback.call and ai.fallback.attempt measure these.
		assertThat(this.registry.getMeters()).isEmpty();
	}

	@Test
	void whenFallbacksGoToDifferentEntriesThenEachPairHasItsCounter() {
		this.listener.onEvent(new FellBackEvent("a", "b", FailureKind.SERVER_ERROR, NOW));
		this.listener.onEvent(new FellBackEvent("a", "b", FailureKind.SERVER_ERROR, NOW));
		this.listener.onEvent(new FellBackEvent("a", "c", FailureKind.SERVER_ERROR, NOW));
		this.listener.onEvent(new CallNotPermittedEvent("a", CircuitState.OPEN, NOW));
		this.listener.onEvent(new DegradedResponseEvent("cache", Duration.ZERO, true, 2, NOW));
		this.listener.onEvent(new DegradedResponseEvent("cache", Duration.ZERO, false, 2, NOW));

		assertThat(count(FallbackMetricsListener.FALLBACKS, "from", "a", "to", "b")).isEqualTo(2);
		assertThat(count(FallbackMetricsListener.FALLBACKS, "from", "a", "to", "c")).isEqualTo(1);
		assertThat(this.registry.get(FallbackMetricsListener.NOT_PERMITTED).tag("entry", "a").counter().count())
			.isEqualTo(1);
		assertThat(this.registry.get(FallbackMetricsListener.DEGRADED).tag("source", "fixed_message").counter().count())
			.isEqualTo(1);
		assertThat(this.registry.get(FallbackMetricsListener.DEGRADED).tag("source", "last_good").counter().count())
			.isEqualTo(1);
	}

	private double count(String name, String key1, String value1, String key2, String value2) {
		return this.registry.get(name).tag(key1, value1).tag(key2, value2).counter().count();
	}

}

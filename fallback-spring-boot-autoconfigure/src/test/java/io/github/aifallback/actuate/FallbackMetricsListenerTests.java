package io.github.aifallback.actuate;

import java.time.Duration;
import java.time.Instant;

import io.github.aifallback.chat.Failure;
import io.github.aifallback.chat.FailureAction;
import io.github.aifallback.chat.FailureKind;
import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.event.AttemptFailedEvent;
import io.github.aifallback.chat.event.AttemptSucceededEvent;
import io.github.aifallback.chat.event.CallCompletedEvent;
import io.github.aifallback.chat.event.CallNotPermittedEvent;
import io.github.aifallback.chat.event.DegradedResponseEvent;
import io.github.aifallback.chat.event.FellBackEvent;
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
	void whenEventsRepeatThenEachSeriesCountsThemOnItsOwnMeter() {
		for (int i = 0; i < 3; i++) {
			this.listener.onEvent(new AttemptSucceededEvent("primary", 1, Duration.ofMillis(5), NOW));
		}
		this.listener.onEvent(new AttemptSucceededEvent("secondary", 1, Duration.ofMillis(5), NOW));
		this.listener.onEvent(new AttemptFailedEvent("primary", 1, 2, Failure.of(FailureKind.RATE_LIMITED),
				Duration.ofMillis(5), FailureAction.FALL_BACK, NOW));
		this.listener.onEvent(new AttemptFailedEvent("primary", 2, 2, Failure.of(FailureKind.RATE_LIMITED),
				Duration.ofMillis(5), FailureAction.FALL_BACK, NOW));
		this.listener.onEvent(new AttemptFailedEvent("primary", 1, 2, Failure.of(FailureKind.TIMEOUT),
				Duration.ofMillis(5), FailureAction.RETRY, NOW));

		assertThat(count(FallbackMetricsListener.ATTEMPTS, "entry", "primary", "result", "success")).isEqualTo(3);
		assertThat(count(FallbackMetricsListener.ATTEMPTS, "entry", "secondary", "result", "success")).isEqualTo(1);
		assertThat(count(FallbackMetricsListener.ATTEMPTS, "entry", "primary", "result", "rate_limited")).isEqualTo(2);
		assertThat(count(FallbackMetricsListener.ATTEMPTS, "entry", "primary", "result", "timeout")).isEqualTo(1);
	}

	@Test
	void whenCallsCompleteThenTheTimerOfTheirOutcomeAndEntryRecordsEach() {
		this.listener.onEvent(new CallCompletedEvent("primary", CallCompletedEvent.Outcome.SERVED, 1,
				Duration.ofMillis(10), NOW));
		this.listener.onEvent(new CallCompletedEvent("primary", CallCompletedEvent.Outcome.SERVED, 1,
				Duration.ofMillis(30), NOW));
		this.listener.onEvent(new CallCompletedEvent("cache", CallCompletedEvent.Outcome.DEGRADED, 3,
				Duration.ofMillis(50), NOW));

		assertThat(this.registry.get(FallbackMetricsListener.CALLS)
			.tag("outcome", "served")
			.tag("served.by", "primary")
			.timer()
			.count()).isEqualTo(2);
		assertThat(this.registry.get(FallbackMetricsListener.CALLS)
			.tag("outcome", "served")
			.tag("served.by", "primary")
			.timer()
			.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(40);
		assertThat(this.registry.get(FallbackMetricsListener.CALLS)
			.tag("outcome", "degraded")
			.tag("served.by", "cache")
			.timer()
			.count()).isEqualTo(1);
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
		assertThat(this.registry.find(FallbackMetricsListener.ATTEMPTS).meters()).isEmpty();
	}

	private double count(String name, String key1, String value1, String key2, String value2) {
		return this.registry.get(name).tag(key1, value1).tag(key2, value2).counter().count();
	}

}

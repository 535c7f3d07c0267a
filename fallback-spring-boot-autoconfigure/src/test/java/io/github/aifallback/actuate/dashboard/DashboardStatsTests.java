package io.github.aifallback.actuate.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.MutableClock;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.RetrySettings;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.event.AttemptFailedEvent;
import io.github.aifallback.chat.event.AttemptSucceededEvent;
import io.github.aifallback.chat.event.CallCompletedEvent;
import io.github.aifallback.chat.event.CallNotPermittedEvent;
import io.github.aifallback.chat.event.CircuitStateChangedEvent;
import io.github.aifallback.chat.event.DegradedResponseEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's rolling window: what it counts, how long it keeps it, and that its memory
 * stays bounded, on a test clock.
 */
class DashboardStatsTests {

	private final MutableClock clock = new MutableClock();

	private final DashboardStats stats = new DashboardStats(this.clock);

	private final ResilientChatClient client = ResilientChatClient.builder()
		.entry(ChainEntry.of("primary", "model-a", (prompt, timeout) -> answer()))
		.entry(ChainEntry.of("secondary", "model-b", (prompt, timeout) -> answer()))
		.clock(this.clock)
		.build();

	@AfterEach
	void close() {
		this.client.close();
	}

	@Test
	void whenTheBreakersWindowHoldsEnoughCallsThenEachEntryShowsItsFailureAndSlowCallRates() {
		assertThat(this.stats.state(this.client, false).entries().get(0).circuitFailureRate())
			.as("too few calls for a rate").isNull();
		io.github.aifallback.chat.circuit.CircuitBreaker breaker = this.client.circuitBreaker("primary");
		for (int i = 0; i < 8; i++) {
			breaker.recordSuccess(breaker.acquire(), Duration.ofMillis(10));
		}
		for (int i = 0; i < 2; i++) {
			breaker.recordFailure(new io.github.aifallback.chat.failure.Failure(FailureKind.TIMEOUT, 0, null), breaker.acquire());
		}

		DashboardView.Entry primary = this.stats.state(this.client, false).entries().get(0);

		assertThat(primary.circuitFailureRate()).isEqualTo(20f);
		assertThat(primary.circuitSlowCallRate()).isEqualTo(0f);
	}

	@Test
	void whenTheFleetsLinkIsDownThenTheStateSaysSoAndAnOtherwiseCalmChainIsAWarning() {
		DashboardView.State down = this.stats.state(this.client, false, () -> false);
		DashboardView.State up = this.stats.state(this.client, false, () -> true);
		DashboardView.State alone = this.stats.state(this.client, false);

		assertThat(down.fleet()).isEqualTo("down");
		assertThat(down.status().level()).isEqualTo("warning");
		assertThat(down.status().title()).isEqualTo("Fleet link down");
		assertThat(down.status().detail()).contains("The link to the fleet (Redis) is down");
		assertThat(up.fleet()).isEqualTo("up");
		assertThat(up.status().level()).isEqualTo("ok");
		assertThat(alone.fleet()).as("no fleet").isNull();
	}

	@Test
	void whenAttemptsSucceedAndFailThenRatesLatencyAndKindsAreCountedPerEntry() {
		for (int millis = 1; millis <= 100; millis++) {
			this.stats.onEvent(new AttemptSucceededEvent("primary", 1, Duration.ofMillis(millis), now()));
		}
		failed("primary", FailureKind.SERVER_ERROR, 500);
		failed("primary", FailureKind.SERVER_ERROR, 500);
		failed("secondary", FailureKind.TIMEOUT, 0);

		DashboardView.State state = this.stats.state(this.client, false);

		DashboardView.Entry primary = state.entries().get(0);
		assertThat(primary.name()).isEqualTo("primary");
		assertThat(primary.model()).isEqualTo("model-a");
		assertThat(primary.successes()).isEqualTo(100);
		assertThat(primary.failures()).isEqualTo(2);
		assertThat(primary.successRate()).isEqualTo(100.0 / 102);
		// 102 samples: 1..100 ms and two failures of 700 ms; nearest rank.
		assertThat(primary.p50Millis()).isEqualTo(51);
		assertThat(primary.p95Millis()).isEqualTo(97);
		assertThat(primary.failuresByKind()).containsExactly(entry("SERVER_ERROR", 2L));
		assertThat(primary.perMinute()).hasSize(MinuteBuckets.MINUTES);
		assertThat(primary.perMinute().get(MinuteBuckets.MINUTES - 1)).isEqualTo(new DashboardView.Minute(100, 2));
		assertThat(state.entries().get(1).failuresByKind()).containsExactly(entry("TIMEOUT", 1L));
		assertThat(state.failuresByKind()).containsExactly(entry("SERVER_ERROR", 2L), entry("TIMEOUT", 1L));
		assertThat(state.writable()).isFalse();
	}

	@Test
	void whenMinutesPassThenOldBucketsLeaveTheWindow() {
		this.stats.onEvent(new AttemptSucceededEvent("primary", 1, Duration.ofMillis(10), now()));
		this.clock.advance(Duration.ofMinutes(MinuteBuckets.MINUTES - 1));
		failed("primary", FailureKind.SERVER_ERROR, 500);

		DashboardView.Entry primary = this.stats.state(this.client, false).entries().get(0);
		assertThat(primary.successes()).isEqualTo(1);
		assertThat(primary.failures()).isEqualTo(1);
		assertThat(primary.perMinute().get(0)).isEqualTo(new DashboardView.Minute(1, 0));

		this.clock.advance(Duration.ofMinutes(1));
		primary = this.stats.state(this.client, false).entries().get(0);
		assertThat(primary.successes()).isZero();
		assertThat(primary.failures()).isEqualTo(1);
		assertThat(primary.p50Millis()).isEqualTo(700);

		this.clock.advance(Duration.ofMinutes(MinuteBuckets.MINUTES));
		primary = this.stats.state(this.client, false).entries().get(0);
		assertThat(primary.successes() + primary.failures()).isZero();
		assertThat(primary.successRate()).isNull();
		assertThat(primary.p95Millis()).isNull();
		assertThat(primary.failuresByKind()).isEmpty();
	}

	@Test
	void whenManyFailuresHappenThenOnlyTheNewestAreKeptNewestFirstWithoutTheProvidersMessage() {
		for (int i = 1; i <= DashboardStats.RECENT_FAILURES + 10; i++) {
			Failure failure = new Failure(FailureKind.BAD_REQUEST, 400, null, "invalid_request", "x",
					"the prompt said: secret plans " + i);
			this.stats.onEvent(new AttemptFailedEvent("primary", i, 100, failure, Duration.ofMillis(i),
					FailureAction.FALL_BACK, now()));
		}

		List<DashboardView.RecentFailure> recent = this.stats.state(this.client, false).recentFailures();

		assertThat(recent).hasSize(DashboardStats.RECENT_FAILURES);
		assertThat(recent.get(0).attempt()).isEqualTo(DashboardStats.RECENT_FAILURES + 10);
		assertThat(recent.get(DashboardStats.RECENT_FAILURES - 1).attempt()).isEqualTo(11);
		assertThat(recent.get(0).toString()).doesNotContain("secret").doesNotContain("invalid_request");
		assertThat(recent.get(0)).isEqualTo(new DashboardView.RecentFailure(now().toString(), "primary",
				"BAD_REQUEST", 400, 60, 100, "FALL_BACK", 60));
	}

	@Test
	void whenOneMinuteHasMoreAttemptsThanSamplesThenMemoryStaysBounded() {
		for (int i = 0; i < 10 * MinuteBuckets.SAMPLES_PER_MINUTE; i++) {
			this.stats.onEvent(new AttemptSucceededEvent("primary", 1, Duration.ofMillis(42), now()));
		}

		DashboardView.Entry primary = this.stats.state(this.client, false).entries().get(0);

		assertThat(primary.successes()).isEqualTo(10L * MinuteBuckets.SAMPLES_PER_MINUTE);
		assertThat(primary.p50Millis()).isEqualTo(42);
		assertThat(new MinuteBuckets(1).samples(0)).isEmpty();
	}

	@Test
	void whenCallsEndThenOutcomesDegradedAnswersAndCircuitChangesAreCounted() {
		this.stats.onEvent(new CallCompletedEvent("primary", CallCompletedEvent.Outcome.SERVED, 1, Duration.ZERO, now()));
		this.stats.onEvent(new CallCompletedEvent("cache", CallCompletedEvent.Outcome.DEGRADED, 2, Duration.ZERO, now()));
		this.stats.onEvent(new CallCompletedEvent("cache", CallCompletedEvent.Outcome.DEGRADED, 2, Duration.ZERO, now()));
		this.stats.onEvent(new CallCompletedEvent("none", CallCompletedEvent.Outcome.FAILED, 2, Duration.ZERO, now()));
		this.stats.onEvent(new DegradedResponseEvent("cache", Duration.ofMinutes(3), false, 2, now()));
		this.stats.onEvent(new DegradedResponseEvent("cache", Duration.ZERO, true, 2, now()));
		this.stats.onEvent(new CircuitStateChangedEvent("primary", CircuitState.CLOSED, CircuitState.OPEN,
				now().plusSeconds(30), now()));

		DashboardView.State state = this.stats.state(this.client, true);

		assertThat(state.calls()).isEqualTo(new DashboardView.Calls(1, 2, 1, 1, 1));
		assertThat(state.circuitChanges())
			.containsExactly(new DashboardView.CircuitChange(now().toString(), "primary", "CLOSED", "OPEN"));
		assertThat(state.writable()).isTrue();
		assertThat(state.windowMinutes()).isEqualTo(MinuteBuckets.MINUTES);
	}

	@Test
	void whenTheEngineRunsWithTheListenerThenCircuitsShowAsRecordedNow() {
		try (ResilientChatClient failing = ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "model-a", (prompt, timeout) -> {
				throw new IllegalStateException("down");
			}))
			.entry(ChainEntry.of("secondary", "model-b", (prompt, timeout) -> answer()))
			.classifier((ex) -> Failure.of(FailureKind.SERVER_ERROR))
			.retry(RetrySettings.custom().maxAttempts(1).build())
			.circuitBreaker(new CircuitBreakerSettings(2, Duration.ofSeconds(30), Duration.ofMinutes(5)))
			.sleeper((duration) -> {
			})
			.clock(this.clock)
			.listener(this.stats)
			.build()) {
			failing.call("hello");
			failing.call("hello");
			failing.call("hello");

			DashboardView.State state = this.stats.state(failing, false);

			assertThat(state.entries()).extracting(DashboardView.Entry::circuitState).containsExactly("OPEN", "CLOSED");
			assertThat(state.entries().get(0).failures()).isEqualTo(2);
			assertThat(state.entries().get(0).openUntil()).isEqualTo(now().plusSeconds(30).toString());
			assertThat(state.entries().get(1).successes()).isEqualTo(3);
			assertThat(state.calls().served()).isEqualTo(3);
			assertThat(state.circuitChanges()).extracting(DashboardView.CircuitChange::to).containsExactly("OPEN");
		}
	}

	@Test
	void whenACallIsDegradedOrFailsThenTheRecentCallsSayWhyFromItsOwnAttemptsAndServedCallsAreNotListed() {
		failed("primary", FailureKind.SERVER_ERROR, 500);
		this.stats.onEvent(new CallCompletedEvent("secondary", CallCompletedEvent.Outcome.SERVED, 2, Duration.ZERO,
				now()));
		failed("primary", FailureKind.RATE_LIMITED, 429);
		this.stats.onEvent(new CallNotPermittedEvent("secondary", CircuitState.OPEN, now()));
		this.stats.onEvent(new CallCompletedEvent("cache", CallCompletedEvent.Outcome.DEGRADED, 1,
				Duration.ofMillis(40), now()));
		this.stats.onEvent(new CallCompletedEvent("none", CallCompletedEvent.Outcome.FAILED, 0, Duration.ZERO, now()));

		List<DashboardView.RecentCall> calls = this.stats.state(this.client, false).recentCalls();

		assertThat(calls).containsExactly(
				new DashboardView.RecentCall(now().toString(), "FAILED", 0, 0, List.of()),
				new DashboardView.RecentCall(now().toString(), "DEGRADED", 1, 40,
						List.of("primary: RATE_LIMITED (HTTP 429)", "secondary: circuit OPEN")));
	}

	@Test
	void whenCircuitsOpenOrCallsDegradeThenTheStatusSaysHowTheWholeChainIs() {
		assertThat(this.stats.state(this.client, false).status().level()).isEqualTo("ok");

		this.stats.onEvent(new CallCompletedEvent("cache", CallCompletedEvent.Outcome.DEGRADED, 1, Duration.ZERO, now()));
		DashboardView.Status degraded = this.stats.state(this.client, false).status();
		assertThat(degraded.level()).isEqualTo("warning");
		assertThat(degraded.detail()).contains("1 degraded and 0 failed call(s) in the last 15 minutes");

		this.client.circuitBreaker("primary").forceOpen();
		assertThat(this.stats.state(this.client, false).status().title()).isEqualTo("1 of 2 circuits open");

		this.client.circuitBreaker("secondary").forceOpen();
		assertThat(this.stats.state(this.client, false).status().level()).isEqualTo("down");

		this.clock.advance(Duration.ofMinutes(MinuteBuckets.MINUTES));
		this.client.circuitBreaker("primary").reset();
		this.client.circuitBreaker("secondary").reset();
		assertThat(this.stats.state(this.client, false).status().level()).as("the degraded call left the window")
			.isEqualTo("ok");
	}

	private void failed(String entry, FailureKind kind, int status) {
		this.stats.onEvent(new AttemptFailedEvent(entry, 1, 1, new Failure(kind, status, null), Duration.ofMillis(700),
				FailureAction.FALL_BACK, now()));
	}

	private Instant now() {
		return this.clock.instant();
	}

	private static Map.Entry<String, Long> entry(String key, Long value) {
		return Map.entry(key, value);
	}

	private static ChatResponse answer() {
		return new ChatResponse(List.of(new Generation(new AssistantMessage("ok"))));
	}

}

package io.github.aifallback.actuate;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.github.aifallback.actuate.FakeChain.FakeFailure;
import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.autoconfigure.ResilientChatClientCustomizer;
import io.github.aifallback.chat.AllModelsFailedException;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.circuit.CircuitSnapshot;
import io.github.aifallback.chat.circuit.CircuitState;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain's metrics through Boot's Micrometer auto-configuration: what is recorded, with
 * which tags, and that the number of series is bounded by the chain, not the traffic.
 */
class FallbackMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class,
				FallbackMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
		.withPropertyValues("spring.ai.openai.api-key=k", "ai.fallback.chain[0].model=configured",
				"ai.fallback.retry.max-attempts=1", "ai.fallback.circuit-breaker.failure-threshold=2",
				"ai.fallback.circuit-breaker.open-duration=30s",
				// One probe, no slow start, fail fast: the breaker these exact counts were written for.
				"ai.fallback.circuit-breaker.permitted-number-of-calls-in-half-open-state=1",
				"ai.fallback.circuit-breaker.slow-start=0s", "ai.fallback.panic.enabled=false");

	@Test
	void whenCallsAreServedAfterFailedAttemptsThenCallsAndAttemptsAreRecorded() {
		this.runner.withBean(FakeChain.class, () -> new FakeChain("primary", "secondary")).run((context) -> {
			context.getBean(FakeChain.class).model("primary").failing = FailureKind.SERVER_ERROR;
			call(context, "hello");
			MeterRegistry registry = context.getBean(MeterRegistry.class);

			assertThat(registry.get("ai.fallback.call").tag("outcome", "served").tag("served.by", "secondary").timer()
				.count()).isEqualTo(1);
			assertThat(registry.get("ai.fallback.attempt").tag("entry", "primary").tag("result", "server_error")
				.timer()
				.count()).isEqualTo(1);
			assertThat(registry.get("ai.fallback.attempt").tag("entry", "secondary").tag("result", "success")
				.timer()
				.count()).isEqualTo(1);
			assertThat(registry.find("ai.fallback.calls").meters()).as("no second timer of calls").isEmpty();
			assertThat(registry.find("ai.fallback.attempts").meters()).as("no counter beside the attempt timer")
				.isEmpty();
		});
	}

	@Test
	void whenTheApplicationObservesThenItsRegistryMakesTheTimersAndEachCallIsTimedOnce() {
		this.runner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
			.withBean(FakeChain.class, () -> new FakeChain("primary", "secondary"))
			.run((context) -> {
				context.getBean(FakeChain.class).model("primary").failing = FailureKind.SERVER_ERROR;
				call(context, "hello");
				call(context, "again");
				MeterRegistry registry = context.getBean(MeterRegistry.class);

				assertThat(registry.get("ai.fallback.call").tag("operation", "call").tag("served.by", "secondary")
					.timer()
					.count()).isEqualTo(2);
				assertThat(registry.get("ai.fallback.attempt").tag("entry", "primary").timers())
					.extracting(Timer::count)
					.containsExactly(2L);
			});
	}

	@Test
	void whenAttemptsFailAndSucceedThenTheFailureRateGaugeOfEachEntryIsItsCircuitWindowsRate() {
		this.runner.withBean(FakeChain.class, () -> new FakeChain("primary", "secondary"))
			.withPropertyValues("ai.fallback.circuit-breaker.failure-threshold=100")
			.run((context) -> {
				FakeChain chain = context.getBean(FakeChain.class);
				for (int i = 0; i < 6; i++) {
					call(context, "ok " + i);
				}
				chain.model("primary").failing = FailureKind.SERVER_ERROR;
				assertThat(failureRate(context, "primary")).as("below the window's minimum calls").isEqualTo(-1);
				for (int i = 0; i < 4; i++) {
					call(context, "failing " + i);
				}

				CircuitSnapshot primary = context.getBean(ResilientChatClient.class).circuitBreaker("primary").snapshot();
				assertThat(primary.failureRate()).isEqualTo(40f);
				assertThat(failureRate(context, "primary")).isEqualTo(40);
				assertThat(failureRate(context, "secondary")).isEqualTo(-1);
				assertThat(context.getBean(MeterRegistry.class)
					.get(CircuitStateMetrics.SLOW_CALL_RATE)
					.tag("entry", "primary")
					.gauge()
					.value()).isEqualTo(primary.slowCallRate());
			});
	}

	@Test
	void whenEntriesReportTokenUsageThenTheTokensAreCountedByTheEntryThatServed() {
		this.runner.withBean(FakeChain.class, () -> new FakeChain("primary", "secondary")).run((context) -> {
			FakeChain chain = context.getBean(FakeChain.class);
			chain.model("primary").usage = new DefaultUsage(10, 20);
			chain.model("secondary").usage = new DefaultUsage(7, 3);
			call(context, "a");
			chain.model("primary").failing = FailureKind.SERVER_ERROR;
			call(context, "b");
			MeterRegistry registry = context.getBean(MeterRegistry.class);

			assertThat(registry.get("ai.fallback.token.usage").tag("entry", "primary").tag("type", "input").counter()
				.count()).isEqualTo(10);
			assertThat(registry.get("ai.fallback.token.usage").tag("entry", "primary").tag("type", "output").counter()
				.count()).isEqualTo(20);
			assertThat(registry.get("ai.fallback.token.usage").tag("entry", "secondary").tag("type", "input").counter()
				.count()).isEqualTo(7);
		});
	}

	@Test
	void whenEveryEntryFailsThenTheCallIsRecordedAsFailedByNone() {
		this.runner.withBean(FakeChain.class, () -> new FakeChain("primary")).run((context) -> {
			context.getBean(FakeChain.class).model("primary").failing = FailureKind.AUTH;
			call(context, "hello");

			assertThat(context.getBean(MeterRegistry.class)
				.get("ai.fallback.call")
				.tag("outcome", "failed")
				.tag("served.by", "none")
				.timer()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void whenADegradedAnswerIsServedThenTheCallIsRecordedAsDegradedByCache() {
		this.runner.withBean(FakeChain.class, () -> new FakeChain("primary"))
			.withPropertyValues("ai.fallback.cache.degraded-message=Try again later")
			.run((context) -> {
				context.getBean(FakeChain.class).model("primary").failing = FailureKind.TIMEOUT;
				call(context, "hello");

				assertThat(context.getBean(MeterRegistry.class)
					.get("ai.fallback.call")
					.tag("outcome", "degraded")
					.tag("served.by", "cache")
					.timer()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void whenCircuitsChangeThenTheGaugeFollowsEveryState() {
		this.runner.withBean(FakeChain.class, () -> new FakeChain("primary", "secondary")).run((context) -> {
			FakeChain chain = context.getBean(FakeChain.class);
			ResilientChatClient client = context.getBean(ResilientChatClient.class);
			assertThat(gauge(context, "primary")).isEqualTo(0);
			chain.model("primary").failing = FailureKind.SERVER_ERROR;
			call(context, "a");
			call(context, "b");
			assertThat(gauge(context, "primary")).isEqualTo(2);
			chain.clock.advance(Duration.ofSeconds(30));
			chain.model("primary").failing = null;
			AtomicReference<Double> duringProbe = new AtomicReference<>();
			chain.model("primary").duringCall = () -> duringProbe.set(gauge(context, "primary"));
			call(context, "c");
			assertThat(duringProbe.get()).isEqualTo(1);
			assertThat(gauge(context, "primary")).isEqualTo(0);
			client.circuitBreaker("secondary").forceOpen();
			assertThat(gauge(context, "secondary")).isEqualTo(3);
			client.circuitBreaker("secondary").reset();
			assertThat(gauge(context, "secondary")).isEqualTo(0);
		});
	}

	@Test
	void whenTenThousandDistinctPromptsGoThroughThenTheSeriesStayBoundedByTheChain() {
		// Entry i of the chain fails call n with a fixed kind when n is a multiple of its divisor.
		List<String> names = List.of("primary", "secondary", "tertiary");
		ResilientChatClientCustomizer fakes = (builder) -> builder
			.entries(List.of(entry("primary", 2, FailureKind.SERVER_ERROR), entry("secondary", 3, FailureKind.TIMEOUT),
					entry("tertiary", 5, FailureKind.CONNECTION)))
			// Closed throughout: never two failures in a row, a failure rate below 100%, and only
			// inferred evidence (a quota failure would keep tertiary out on explicit evidence).
			.circuitBreaker(CircuitBreakerSettings.custom().failureThreshold(2).failureRateThreshold(100).build())
			.classifier((ex) -> Failure.of(((FakeFailure) ex).kind))
			.sleeper((duration) -> {
			});
		// The primary fails every other call: 50%, which opens a circuit at the default threshold.
		this.runner.withBean(ResilientChatClientCustomizer.class, () -> fakes)
			.withPropertyValues("ai.fallback.circuit-breaker.failure-rate-threshold=75")
			.run((context) -> {
			for (int n = 0; n < 10_000; n++) {
				call(context, "question " + n + ": " + Integer.toHexString(n * 7919));
			}
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			List<Meter> meters = registry.getMeters();

			int outcomes = 3;
			int results = 1 + FailureKind.values().length;
			int actions = FailureAction.values().length + 1;
			// calls: each entry served, cache degraded, none failed (and one running series of the active
			// timer); attempts: entry x result x action (and one running series per entry); the gauges per
			// entry, per entry and state, and of the failure rate; fallbacks: entry x later entry; not
			// permitted: per entry; degraded: per source.
			int states = CircuitState.values().length;
			int bound = (names.size() + 2 + 1) + names.size() * results * actions + names.size()
					+ names.size() * (2 + states) + 3 + names.size() + 2;
			// No circuit opens and nothing is degraded here: two fallback pairs are the only new counters.
			assertThat(meters).hasSizeLessThanOrEqualTo(bound);
			assertThat(tagSets(meters, "ai.fallback.call", "outcome", "served.by"))
				.hasSizeLessThanOrEqualTo(names.size() * outcomes)
				.containsExactlyInAnyOrder(Map.of("outcome", "served", "served.by", "primary"),
						Map.of("outcome", "served", "served.by", "secondary"),
						Map.of("outcome", "served", "served.by", "tertiary"),
						Map.of("outcome", "failed", "served.by", "none"));
			assertThat(tagSets(meters, "ai.fallback.attempt", "entry", "result")).hasSizeLessThanOrEqualTo(names.size() * results)
				.containsExactlyInAnyOrder(Map.of("entry", "primary", "result", "success"),
						Map.of("entry", "primary", "result", "server_error"),
						Map.of("entry", "secondary", "result", "success"),
						Map.of("entry", "secondary", "result", "timeout"),
						Map.of("entry", "tertiary", "result", "success"),
						Map.of("entry", "tertiary", "result", "connection"));
			assertThat(tagSets(meters, "ai.fallback.circuit.state")).containsExactlyInAnyOrder(
					Map.of("entry", "primary"), Map.of("entry", "secondary"), Map.of("entry", "tertiary"));
			assertThat(meters).flatExtracting((meter) -> meter.getId().getTags())
				.extracting(Tag::getValue)
				.allSatisfy((value) -> assertThat(value).doesNotContain("question"));
			// Every call is counted once: n even fails on primary, n multiple of 6 on secondary, of 30 on all.
			assertThat(registry.get("ai.fallback.call").timers().stream().mapToLong((timer) -> timer.count()).sum())
				.isEqualTo(10_000L);
			assertThat(registry.get("ai.fallback.call").tag("outcome", "failed").timer().count()).isEqualTo(334);
		});
	}

	@Test
	void whenMicrometerIsMissingThenTheClientStartsWithoutMetrics() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ResilientChatClient.class)
				.doesNotHaveBean(CircuitStateMetrics.class)
				.doesNotHaveBean("fallbackMetricsCustomizer"));
	}

	@Test
	void whenThereIsNoMeterRegistryThenNoMetricsAreConfigured() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(FallbackAutoConfiguration.class, FallbackMetricsAutoConfiguration.class))
			.withPropertyValues("spring.ai.openai.api-key=k", "ai.fallback.chain[0].model=configured")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ResilientChatClient.class)
				.doesNotHaveBean(CircuitStateMetrics.class));
	}

	private static ChainEntry entry(String name, int divisor, FailureKind kind) {
		EntryModel model = (prompt, timeout) -> {
			int n = Integer.parseInt(prompt.getContents().substring("question ".length()).split(":")[0]);
			if (n % divisor == 0) {
				throw new FakeFailure(kind);
			}
			return new ChatResponse(List.of(new Generation(new AssistantMessage("from " + name))));
		};
		return ChainEntry.of(name, "model-" + name, model);
	}

	private static Set<Map<String, String>> tagSets(List<Meter> meters, String name, String... keys) {
		Set<String> kept = Set.of(keys);
		Set<Map<String, String>> sets = new HashSet<>();
		for (Meter meter : meters) {
			if (meter.getId().getName().equals(name)) {
				sets.add(meter.getId()
					.getTags()
					.stream()
					.filter((tag) -> kept.isEmpty() || kept.contains(tag.getKey()))
					.collect(Collectors.toMap(Tag::getKey, Tag::getValue)));
			}
		}
		return sets;
	}

	private static double failureRate(AssertableApplicationContext context, String entry) {
		return context.getBean(MeterRegistry.class)
			.get(CircuitStateMetrics.FAILURE_RATE)
			.tag("entry", entry)
			.gauge()
			.value();
	}

	private static double gauge(AssertableApplicationContext context, String entry) {
		return context.getBean(MeterRegistry.class).get("ai.fallback.circuit.state").tag("entry", entry).gauge().value();
	}

	private static void call(AssertableApplicationContext context, String prompt) {
		try {
			context.getBean(ResilientChatClient.class).call(new Prompt(prompt));
		}
		catch (AllModelsFailedException ex) {
			// Some scenarios fail every entry on purpose.
		}
	}

}

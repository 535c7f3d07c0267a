package io.github.aifallback.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.chat.AllModelsFailedException;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.ResilientChatClient;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters added for operators' dashboards: calls not permitted by a circuit, fallbacks
 * (from, to), degraded answers, and one 0-or-1 gauge per entry and circuit state; exact
 * counts, and series bounded by the chain whatever the prompts.
 */
class FallbackMetersTests {

	/**
	 * With the runner's two consecutive failures: one probe, no slow start, fail fast, the
	 * breaker these phases were written for, whose transitions they count exactly.
	 */
	private static final String[] OLD_POLICY = {
			"ai.fallback.circuit-breaker.permitted-number-of-calls-in-half-open-state=1",
			"ai.fallback.circuit-breaker.slow-start=0s", "ai.fallback.panic.enabled=false" };

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class,
				FallbackMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
		.withPropertyValues("spring.ai.openai.api-key=k", "ai.fallback.chain[0].model=configured",
				"ai.fallback.retry.max-attempts=1", "ai.fallback.circuit-breaker.failure-threshold=2",
				"ai.fallback.circuit-breaker.open-duration=30s");

	@Test
	void whenAnOpenCircuitMakesCallsSkipAnEntryThenEachSkipIsCountedForThatEntry() {
		this.runner.withBean(FakeChain.class, () -> new FakeChain("primary", "secondary")).run((context) -> {
			context.getBean(FakeChain.class).model("primary").failing = FailureKind.SERVER_ERROR;
			call(context, "a");
			call(context, "b");
			assertThat(registry(context).find(FallbackMetricsListener.NOT_PERMITTED).counters()).isEmpty();

			call(context, "c");
			call(context, "d");
			call(context, "e");

			assertThat(registry(context).get(FallbackMetricsListener.NOT_PERMITTED).tag("entry", "primary").counter()
				.count()).isEqualTo(3);
			assertThat(registry(context).find(FallbackMetricsListener.NOT_PERMITTED).tag("entry", "secondary")
				.counter()).isNull();
			assertThat(context.getBean(FakeChain.class).model("primary").calls).hasValue(2);
		});
	}

	@Test
	void whenTheChainFallsBackThenEachFallbackIsCountedFromAndTo() {
		this.runner.withBean(FakeChain.class, () -> new FakeChain("primary", "secondary", "tertiary"))
			.withPropertyValues("ai.fallback.circuit-breaker.failure-threshold=100")
			.run((context) -> {
				FakeChain chain = context.getBean(FakeChain.class);
				chain.model("primary").failing = FailureKind.SERVER_ERROR;
				call(context, "a");
				call(context, "b");
				chain.model("secondary").failing = FailureKind.TIMEOUT;
				call(context, "c");

				assertThat(fallbacks(context, "primary", "secondary")).isEqualTo(3);
				assertThat(fallbacks(context, "secondary", "tertiary")).isEqualTo(1);
				assertThat(registry(context).get(FallbackMetricsListener.FALLBACKS).counters()).hasSize(2);
			});
	}

	@Test
	void whenDegradedAnswersAreServedThenEachIsCountedBySource() {
		this.runner.withBean(FakeChain.class, () -> new FakeChain("primary"))
			.withPropertyValues("ai.fallback.cache.degraded-message=Try again later",
					"ai.fallback.circuit-breaker.failure-threshold=100")
			.run((context) -> {
				context.getBean(FakeChain.class).model("primary").failing = FailureKind.TIMEOUT;
				call(context, "a");
				call(context, "b");

				assertThat(registry(context).get(FallbackMetricsListener.DEGRADED).tag("source", "fixed_message")
					.counter()
					.count()).isEqualTo(2);
				assertThat(registry(context).get(FallbackMetricsListener.DEGRADED).counters()).hasSize(1);
			});
	}

	@Test
	void whenCircuitsChangeThenExactlyTheCurrentStateGaugeOfEachEntryIsOne() {
		this.runner.withBean(FakeChain.class, () -> new FakeChain("primary", "secondary", "tertiary"))
			.withPropertyValues(OLD_POLICY)
			.run((context) -> {
				FakeChain chain = context.getBean(FakeChain.class);
				ResilientChatClient client = context.getBean(ResilientChatClient.class);
				assertThat(states(context, "primary")).isEqualTo(
						Map.of("closed", 1.0, "open", 0.0, "half_open", 0.0, "forced_open", 0.0));
				chain.model("primary").failing = FailureKind.SERVER_ERROR;
				call(context, "a");
				call(context, "b");
				client.circuitBreaker("secondary").forceOpen();

				assertThat(states(context, "primary")).isEqualTo(
						Map.of("closed", 0.0, "open", 1.0, "half_open", 0.0, "forced_open", 0.0));
				assertThat(states(context, "secondary")).isEqualTo(
						Map.of("closed", 0.0, "open", 0.0, "half_open", 0.0, "forced_open", 1.0));
				assertThat(openCircuits(context)).isEqualTo(1);
				chain.clock.advance(Duration.ofSeconds(30));
				chain.model("primary").failing = null;
				chain.model("primary").duringCall = () -> assertThat(states(context, "primary").get("half_open"))
					.isEqualTo(1.0);
				call(context, "c");
				assertThat(states(context, "primary").get("closed")).isEqualTo(1.0);
				assertThat(openCircuits(context)).isZero();
				// The gauge of one value per entry is still there, unchanged.
				assertThat(registry(context).get(CircuitStateMetrics.CIRCUIT_STATE).tag("entry", "secondary").gauge()
					.value()).isEqualTo(3);
			});
	}

	@Test
	void whenTenThousandDistinctPromptsGoThroughThenTheNewMetersStayBoundedByTheChain() {
		this.runner.withBean(FakeChain.class, () -> new FakeChain("primary", "secondary"))
			.withPropertyValues("ai.fallback.cache.degraded-message=Try again later")
			.withPropertyValues(OLD_POLICY)
			.run((context) -> {
				FakeChain chain = context.getBean(FakeChain.class);
				for (int n = 0; n < 10_000; n++) {
					// Phases: both fail (circuits open, then skipped), then both answer again.
					FailureKind kind = (n % 1000 < 10) ? FailureKind.SERVER_ERROR : null;
					chain.model("primary").failing = kind;
					chain.model("secondary").failing = kind;
					if (n % 1000 == 10) {
						chain.clock.advance(Duration.ofSeconds(31));
					}
					call(context, "question " + n + ": " + Integer.toHexString(n * 7919));
				}
				List<Meter> meters = registry(context).getMeters();

				assertThat(tagSets(meters, FallbackMetricsListener.NOT_PERMITTED))
					.containsExactlyInAnyOrder(Map.of("entry", "primary"), Map.of("entry", "secondary"));
				assertThat(tagSets(meters, FallbackMetricsListener.FALLBACKS))
					.containsExactly(Map.of("from", "primary", "to", "secondary"));
				assertThat(tagSets(meters, FallbackMetricsListener.DEGRADED))
					.containsExactly(Map.of("source", "fixed_message"));
				assertThat(tagSets(meters, CircuitStateMetrics.CIRCUIT_STATES)).hasSize(2 * 4);
				// Ten phases of ten failing calls: two open each circuit, eight skip both entries.
				assertThat(registry(context).get(FallbackMetricsListener.DEGRADED).counter().count()).isEqualTo(100);
				assertThat(registry(context).get(FallbackMetricsListener.NOT_PERMITTED).tag("entry", "primary")
					.counter()
					.count()).isEqualTo(80);
				assertThat(meters).flatExtracting((meter) -> meter.getId().getTags())
					.extracting(Tag::getValue)
					.allSatisfy((value) -> assertThat(value).doesNotContain("question"));
			});
	}

	private static double fallbacks(AssertableApplicationContext context, String from, String to) {
		return registry(context).get(FallbackMetricsListener.FALLBACKS).tag("from", from).tag("to", to).counter()
			.count();
	}

	private static Map<String, Double> states(AssertableApplicationContext context, String entry) {
		return registry(context).get(CircuitStateMetrics.CIRCUIT_STATES)
			.tag("entry", entry)
			.gauges()
			.stream()
			.collect(Collectors.toMap((gauge) -> gauge.getId().getTag("state"), (gauge) -> gauge.value()));
	}

	/** What a dashboard would query: the sum of the per-state gauges with state open. */
	private static double openCircuits(AssertableApplicationContext context) {
		return registry(context).get(CircuitStateMetrics.CIRCUIT_STATES)
			.tag("state", "open")
			.gauges()
			.stream()
			.mapToDouble((gauge) -> gauge.value())
			.sum();
	}

	private static Set<Map<String, String>> tagSets(List<Meter> meters, String name) {
		return meters.stream()
			.filter((meter) -> meter.getId().getName().equals(name))
			.map((meter) -> meter.getId().getTags().stream().collect(Collectors.toMap(Tag::getKey, Tag::getValue)))
			.collect(Collectors.toSet());
	}

	private static MeterRegistry registry(AssertableApplicationContext context) {
		return context.getBean(MeterRegistry.class);
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

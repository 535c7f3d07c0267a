package io.github.aifallback.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.github.aifallback.benchmarks.StubServer.Behaviour;
import io.github.aifallback.chat.AllModelsFailedException;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.event.CircuitStateChangedEvent;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.HdrHistogram.Histogram;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Goodput under overload (issue 19; scenario letters {@code o}: the old policy, {@code n}:
 * the new one): the auto-configured bean in a Boot context, three entries on one local stub
 * (a primary failing half its requests with 503 + {@code Retry-After: 1} and hanging on 2%, a
 * secondary and a third answering in 30 ms), 200 platform threads (Tomcat's default) calling
 * for 60 s with prompts from a pool of 1,000 (so the last-good cache can answer). Reports the
 * share served, answers from providers and from the cache, requests sent to the failing
 * primary, p50/p99 and the time every circuit was open (sampled every 100 ms).
 * <p>
 * Each policy is a list of plain property strings, so that the names of the properties being
 * added for issue 19 are easy to adjust; {@code --set=key=value} adds one to both.
 */
final class Goodput {

	static final int CALLERS = 200;

	static final int PROMPTS = 1_000;

	/** The issue's chain and settings, common to both policies. */
	static final String[] SCENARIO = { "ai.fallback.chain[0].model=" + BenchmarkMain.PRIMARY,
			"ai.fallback.chain[0].name=primary", "ai.fallback.chain[1].model=" + BenchmarkMain.SECONDARY,
			"ai.fallback.chain[1].name=secondary", "ai.fallback.chain[2].model=third-model",
			"ai.fallback.chain[2].name=third", "ai.fallback.timeout=1s", "ai.fallback.deadline=15s",
			"ai.fallback.retry.max-attempts=3", "ai.fallback.circuit-breaker.failure-threshold=5",
			"ai.fallback.circuit-breaker.open-duration=30s" };

	/**
	 * Before issue 19: consecutive failures only (the rate rules cannot fire below a
	 * million calls), no slow start, no panic mode: every circuit open means fail fast.
	 */
	static final String[] OLD_POLICY = { "ai.fallback.circuit-breaker.minimum-number-of-calls=1000000",
			"ai.fallback.circuit-breaker.permitted-number-of-calls-in-half-open-state=1",
			"ai.fallback.circuit-breaker.slow-start=0s", "ai.fallback.panic.enabled=false" };

	/**
	 * After issue 19: the starter's defaults for the rate and slow-call rules, half-open
	 * permits, slow start, panic mode, concurrency limit and fallback floor (empty: the
	 * defaults are the policy; add {@code --set=...} to try others).
	 */
	static final String[] NEW_POLICY = {};

	private Goodput() {
	}

	static void run(String policy, String[] extra, long seconds, Report report) throws Exception {
		String[] own = policy.equals("old") ? OLD_POLICY : NEW_POLICY;
		try (StubServer stub = new StubServer(256)) {
			stub.behave(BenchmarkMain.PRIMARY, Behaviour.overloaded(0.50, 503, "1", 0.02, 19));
			stub.behave(BenchmarkMain.SECONDARY, Behaviour.latency(30));
			stub.behave("third-model", Behaviour.latency(30));
			List<String> settings = new ArrayList<>(List.of("spring.ai.openai.base-url=" + stub.baseUrl(),
					"spring.ai.openai.api-key=bench-key"));
			settings.addAll(Arrays.asList(SCENARIO));
			settings.addAll(Arrays.asList(own));
			settings.addAll(Arrays.asList(extra));
			Map<String, LongAdder> openings = new ConcurrentHashMap<>();
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BootBean.App.class)
				.web(WebApplicationType.NONE)
				.bannerMode(Banner.Mode.OFF)
				.logStartupInfo(false)
				.properties(settings.toArray(String[]::new))
				.listeners((org.springframework.context.ApplicationListener<org.springframework.context.ApplicationEvent>) (
						event) -> {
					if (event instanceof org.springframework.context.PayloadApplicationEvent<?> payload
							&& payload.getPayload() instanceof CircuitStateChangedEvent changed
							&& changed.to().name().equals("OPEN")) {
						openings.computeIfAbsent(changed.entry(), (k) -> new LongAdder()).increment();
					}
				})
				.run()) {
				ResilientChatClient client = context.getBean(ResilientChatClient.class);
				warmUp(stub);
				stub.resetCounters();
				double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
				Outcome outcome = drive(client, seconds);
				double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
				report.line("");
				report.line("#### Goodput under overload, %s policy: %d callers x %d s", policy, CALLERS, seconds);
				report.line("");
				report.line("- properties: %s", String.join(", ", settings.subList(2, settings.size())));
				report.line("- system load average (1 min) before / after the run: %.2f / %.2f", loadBefore, loadAfter);
				report.table("policy", "calls", "served %", "from providers", "from cache", "failed",
						"requests to failing primary", "requests secondary / third", "p50 ms", "p99 ms",
						"all circuits open s", "circuit openings");
				long served = outcome.providers() + outcome.cache();
				report.row(policy, outcome.calls(), Report.f("%.2f", 100.0 * served / Math.max(1, outcome.calls())),
						outcome.providers() + " " + outcome.byProvider(), outcome.cache(), outcome.failed.sum(),
						stub.requests(BenchmarkMain.PRIMARY),
						stub.requests(BenchmarkMain.SECONDARY) + " / " + stub.requests("third-model"),
						Report.ms(outcome.latencies.getValueAtPercentile(50)),
						Report.ms(outcome.latencies.getValueAtPercentile(99)),
						Report.f("%.1f", outcome.allOpenMillis / 1e3), new LinkedHashMap<>(openings));
			}
		}
	}

	/**
	 * A few calls outside the chain, as an application that has served its first request:
	 * 200 threads waiting at once on the first request's class initialisation stall for
	 * seconds, which is not what this measures. The JIT stays cold.
	 */
	private static void warmUp(StubServer stub) {
		OpenAiEntryModel model = OpenAiEntryModel.create(stub.baseUrl(), "bench-key", "warm-up-model",
				Duration.ofSeconds(30));
		for (int i = 0; i < 3; i++) {
			model.call(new Prompt("warm up #" + i), Duration.ofSeconds(30));
		}
	}

	private static Outcome drive(ResilientChatClient client, long seconds) throws InterruptedException {
		Outcome outcome = new Outcome();
		long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
		Thread sampler = new Thread(() -> {
			while (System.nanoTime() < end) {
				if (allOpen(client)) {
					outcome.allOpenMillis += 100;
				}
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "goodput-sampler");
		sampler.setDaemon(true);
		sampler.start();
		List<Thread> callers = new ArrayList<>();
		for (int c = 0; c < CALLERS; c++) {
			Random prompts = new Random(c);
			Thread caller = new Thread(() -> {
				while (System.nanoTime() < end) {
					Prompt prompt = new Prompt("Say hello in one short sentence. #" + prompts.nextInt(PROMPTS));
					long t0 = System.nanoTime();
					try {
						ChatResponse response = client.call(prompt);
						outcome.servedBy
							.computeIfAbsent(String.valueOf(response.getMetadata().<Object>get(FallbackMetadata.SERVED_BY)),
									(k) -> new LongAdder())
							.increment();
					}
					catch (AllModelsFailedException ex) {
						outcome.failed.increment();
					}
					catch (RuntimeException ex) {
						outcome.failed.increment();
					}
					outcome.record(System.nanoTime() - t0);
				}
			}, "goodput-caller-" + c);
			caller.setDaemon(true);
			callers.add(caller);
			caller.start();
		}
		// Every call ends by its deadline (15 s); a caller still busy a minute later is stuck.
		for (Thread caller : callers) {
			caller.join(Math.max(1, (end - System.nanoTime()) / 1_000_000 + 60_000));
		}
		sampler.join(5_000);
		return outcome;
	}

	/** Whether no entry admits calls: every circuit is open or forced open. */
	static boolean allOpen(ResilientChatClient client) {
		for (CircuitBreaker breaker : client.getCircuitBreakers()) {
			String state = breaker.state().name();
			if (!state.equals("OPEN") && !state.equals("FORCED_OPEN")) {
				return false;
			}
		}
		return true;
	}

	/** What the callers saw. */
	static final class Outcome {

		final Map<String, LongAdder> servedBy = new ConcurrentHashMap<>();

		final LongAdder failed = new LongAdder();

		final Histogram latencies = new Histogram(4);

		volatile long allOpenMillis;

		synchronized void record(long nanos) {
			this.latencies.recordValue(nanos);
		}

		synchronized long calls() {
			return this.latencies.getTotalCount();
		}

		long cache() {
			LongAdder cache = this.servedBy.get(FallbackMetadata.CACHE);
			return (cache != null) ? cache.sum() : 0;
		}

		Map<String, Long> byProvider() {
			Map<String, Long> counts = new java.util.TreeMap<>();
			this.servedBy.forEach((entry, count) -> {
				if (!entry.equals(FallbackMetadata.CACHE)) {
					counts.put(entry, count.sum());
				}
			});
			return counts;
		}

		long providers() {
			return this.servedBy.entrySet()
				.stream()
				.filter((e) -> !e.getKey().equals(FallbackMetadata.CACHE))
				.mapToLong((e) -> e.getValue().sum())
				.sum();
		}

	}

}

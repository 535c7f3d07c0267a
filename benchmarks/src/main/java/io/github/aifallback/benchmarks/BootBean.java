package io.github.aifallback.benchmarks;

import java.util.concurrent.atomic.AtomicLong;

import io.github.aifallback.benchmarks.StubServer.Behaviour;
import io.github.aifallback.chat.ResilientChatClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.HdrHistogram.Histogram;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario (f): the {@link ResilientChatClient} bean exactly as users get it (a Spring Boot
 * context with Actuator's metrics and observations, the starter's defaults: Caffeine
 * last-good cache, observations through the application's registry, the metrics listener,
 * events through the application context) against the bare {@link OpenAiChatModel} built
 * with the SAME {@link ObservationRegistry}. Interleaved blocks, pooled into HdrHistograms.
 */
final class BootBean {

	/** Upstream latency, concurrency, calls per block, blocks per client. */
	private static final int[][] PLAN = { { 0, 1, 400, 16 }, { 0, 32, 400, 16 }, { 20, 1, 100, 10 },
			{ 20, 32, 400, 12 } };

	private static final AtomicLong SEQUENCE = new AtomicLong();

	/** The application: nothing but auto-configuration. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

	private BootBean() {
	}

	static void run(StubServer stub, Report report) throws Exception {
		run(stub, report, false, PLAN, new String[0], true);
	}

	/**
	 * Which default costs what (scenario letter {@code g}): the unique-prompt, 0 ms, c=1
	 * row again, each time in a fresh context with one of the starter's defaults turned off
	 * by the property a user would set. Defaults run first and again last: the first context
	 * of the JVM measures slower (JIT still at work).
	 */
	static void ablation(StubServer stub, Report report) throws Exception {
		ablation(stub, report, new int[] { 0, 1, 400, 16 });
	}

	/**
	 * As {@link #ablation(StubServer, Report)} at 20 ms upstream (scenario letter {@code G}):
	 * where the time that the bean adds at 20 ms, and not at 0 ms, goes.
	 */
	static void ablation20(StubServer stub, Report report) throws Exception {
		ablation(stub, report, new int[] { 20, 1, 100, 10 });
	}

	private static void ablation(StubServer stub, Report report, int[] step) throws Exception {
		String[][] variants = { {}, { "ai.fallback.cache.enabled=false" },
				{ "management.observations.enable.ai.fallback=false" },
				{ "spring.autoconfigure.exclude=io.github.aifallback.actuate.FallbackMetricsAutoConfiguration" },
				{ "ai.fallback.cache.enabled=false", "management.observations.enable.ai.fallback=false",
						"spring.autoconfigure.exclude=io.github.aifallback.actuate.FallbackMetricsAutoConfiguration" },
				{} };
		for (int v = 0; v < variants.length; v++) {
			report.line("");
			report.line("(g) variant %d: %s", v, (variants[v].length == 0) ? "defaults" : String.join(", ", variants[v]));
			run(stub, report, false, new int[][] { step }, variants[v], false);
		}
	}

	/**
	 * For JFR: the resilient bean only, unique prompts, 0 ms upstream, concurrency 1, for
	 * about 40 s after a warm-up (scenario letter {@code F}).
	 */
	static void profile(StubServer stub, Report report) throws Exception {
		run(stub, report, true, PLAN, new String[0], true);
	}

	private static void run(StubServer stub, Report report, boolean profileOnly, int[][] plan, String[] extra,
			boolean repeatedToo) throws Exception {
		String[] properties = { "spring.ai.openai.base-url=" + stub.baseUrl(), "spring.ai.openai.api-key=bench-key",
				"ai.fallback.chain[0].model=" + BenchmarkMain.PRIMARY, "ai.fallback.chain[0].name=primary",
				"ai.fallback.chain[1].model=" + BenchmarkMain.SECONDARY, "ai.fallback.chain[1].name=secondary" };
		String[] settings = java.util.Arrays.copyOf(properties, properties.length + extra.length);
		System.arraycopy(extra, 0, settings, properties.length, extra.length);
		report.line("");
		report.line("### (f) The auto-configured bean (Spring Boot context, Actuator metrics, starter defaults) "
				+ "vs bare OpenAiChatModel with the same ObservationRegistry");
		report.line("");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(settings)
			.run()) {
			ResilientChatClient resilient = context.getBean(ResilientChatClient.class);
			ObservationRegistry observations = context.getBean(ObservationRegistry.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			OpenAiChatModel bare = UsersGet.bare(stub, observations, false);
			report.line("- context: meter registry %s, observation registry %s (noop: %s), metrics listener "
					+ "(fallbackMetricsCustomizer): %d, events through the application context, last-good store: %s",
					meters.getClass().getSimpleName(), observations.getClass().getSimpleName(), observations.isNoop(),
					context.containsBean("fallbackMetricsCustomizer") ? 1 : 0,
					context.getBeanNamesForType(io.github.aifallback.chat.lastgood.LastGoodStore.class).length > 0
							? String.join(",", context.getBeanNamesForType(
									io.github.aifallback.chat.lastgood.LastGoodStore.class))
							: "built in");
			report.line("- blocks alternate bare/resilient (order swapped every pair); all blocks of a client "
					+ "pooled into one HdrHistogram (4 significant digits, ns); nearest p50/p99 of the pool.");
			stub.behave(BenchmarkMain.PRIMARY, Behaviour.HEALTHY);
			stub.behave(BenchmarkMain.SECONDARY, Behaviour.HEALTHY);
			// JIT warm-up of both paths, both prompt kinds, both concurrencies: with less (5,000
			// calls at c=32 only) the first row measured the resilient path on a colder JIT.
			for (int concurrency : BenchmarkMain.CONCURRENCY) {
				for (boolean unique : new boolean[] { true, false }) {
					Load.run(concurrency, 10_000, 60_000, call(bare, unique));
					Load.run(concurrency, 10_000, 60_000, call(resilient, unique));
				}
			}
			if (profileOnly) {
				long t0 = System.currentTimeMillis();
				Load.Result result = Load.run(1, 1_000_000, 40_000, call(resilient, true));
				report.line("profile: resilient, unique prompts, 0 ms, c=1: %d calls %d..%d (%.0f calls/s)",
						result.count(), t0, System.currentTimeMillis(), result.throughput());
				return;
			}
			report.table("prompts", "upstream", "conc.", "blocks x calls (each)", "bare p50 ms", "resil. p50 ms",
					"added p50 µs", "p50 ratio r/b", "bare p99 ms", "resil. p99 ms", "p99 ratio r/b", "resil. ok");
			for (boolean unique : repeatedToo ? new boolean[] { true, false } : new boolean[] { true }) {
				for (int[] step : plan) {
					long latency = step[0];
					int concurrency = step[1];
					int calls = step[2];
					int blocks = step[3];
					stub.behave(BenchmarkMain.PRIMARY, Behaviour.latency(latency));
					stub.behave(BenchmarkMain.SECONDARY, Behaviour.latency(latency));
					Load.run(concurrency, calls, 60_000, call(bare, unique));
					Load.run(concurrency, calls, 60_000, call(resilient, unique));
					Histogram b = new Histogram(4);
					Histogram r = new Histogram(4);
					int ok = 0;
					int all = 0;
					for (int block = 0; block < blocks; block++) {
						boolean bareFirst = (block % 2 == 0);
						for (int side = 0; side < 2; side++) {
							boolean isBare = (side == 0) == bareFirst;
							Load.Result result = Load.run(concurrency, calls, 120_000,
									isBare ? call(bare, unique) : call(resilient, unique));
							record(isBare ? b : r, result);
							if (!isBare) {
								ok += result.successes();
								all += result.count();
							}
						}
					}
					double bp50 = b.getValueAtPercentile(50);
					double rp50 = r.getValueAtPercentile(50);
					double bp99 = b.getValueAtPercentile(99);
					double rp99 = r.getValueAtPercentile(99);
					report.row(unique ? "unique" : "repeated", latency + " ms", concurrency, blocks + " x " + calls,
							Report.ms(bp50), Report.ms(rp50), Report.us(rp50 - bp50), Report.f("%.4f", rp50 / bp50),
							Report.ms(bp99), Report.ms(rp99), Report.f("%.4f", rp99 / bp99), ok + "/" + all);
				}
			}
		}
	}

	private static void record(Histogram into, Load.Result result) {
		for (int i = 0; i < result.count(); i++) {
			into.recordValue(result.latencies()[i]);
		}
	}

	private static Load.Call call(ChatModel model, boolean unique) {
		return (i) -> {
			model.call(unique ? new Prompt("Say hello in one short sentence. #" + SEQUENCE.incrementAndGet())
					: BenchmarkMain.PROMPT);
			return 0;
		};
	}

}

package io.github.aifallback.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.github.aifallback.benchmarks.StubServer.Behaviour;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.ResilientChatClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.HdrHistogram.Histogram;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Scenario (u), issue 23: performance as users get it. A Spring Boot 4.1 application
 * (Actuator, a Prometheus registry, the starter with its defaults: last-good cache,
 * observations, events) and its auto-configured {@link ResilientChatClient}, against a bare
 * {@link OpenAiChatModel} built with the same {@link ObservationRegistry} and the same OkHttp
 * pool settings as the chain's entries, over the same local stub, with a new prompt per call,
 * in interleaved rounds (bare, bean, bean, bare, ...). Load on a fixed pool of platform
 * threads (the same threads for both clients, on every JDK), so that each thread's allocated
 * bytes and CPU time can be read ({@code com.sun.management.ThreadMXBean}).
 */
final class UsersGet {

	/** A plan: warm-up, then rows of {latency ms, concurrency, rounds, calls per round per client}. */
	private record Plan(int warmUp1, int warmUp32, int[][] rows, int streamRounds, int streamCalls, int hedgeCalls,
			int poolRounds) {

	}

	/**
	 * Warm-up: 40,000 calls per client at c=1 before anything is measured. After 5,000 (the
	 * earlier plan) the chain's own methods, called once per call by the bean only, had not
	 * all reached C2 on JDK 17, while the code both clients share (OkHttp, Jackson, the SDK)
	 * had twice the calls: the bean then paid for its interpreter and C1 time, +30 to +60 µs
	 * at 0 ms against +9 to +16 µs at steady state (docs/benchmarks.md). An application has
	 * no bare twin warming its shared code; steady state is what it runs at. The 0 ms, c=1
	 * row has 40 rounds: its p99 is the 200th slowest call of each side, not the 100th.
	 */
	private static final Plan FULL = new Plan(40_000, 2_000,
			new int[][] { { 0, 1, 40, 500 }, { 0, 32, 20, 1_000 }, { 20, 1, 20, 50 }, { 20, 32, 20, 400 } }, 20, 250,
			1_200, 10);

	private static final Plan QUICK = new Plan(40_000, 1_000,
			new int[][] { { 0, 1, 20, 300 }, { 0, 32, 10, 500 }, { 20, 1, 8, 30 }, { 20, 32, 8, 200 } }, 8, 150, 400,
			6);

	private static final AtomicLong SEQUENCE = new AtomicLong();

	private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	/** The application: nothing but auto-configuration. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

	/** What one side measured over all its rounds of one row. */
	private static final class Side {

		final Histogram latencies = new Histogram(3_600_000_000_000L, 3);

		final LongAdder allocated = new LongAdder();

		final LongAdder threadCpu = new LongAdder();

		long processCpu;

		long calls;

		long ok;

		long wallNanos;

		final List<Long> roundP50 = new ArrayList<>();

		final List<Long> roundP99 = new ArrayList<>();

		double perCall(long total) {
			return (double) total / this.calls;
		}

		/** A round's latencies: pooled, counted, and its own p50 and p99 kept for the pairs. */
		void endRound(Histogram round) {
			this.latencies.add(round);
			this.calls += round.getTotalCount();
			this.roundP50.add(round.getValueAtPercentile(50));
			this.roundP99.add(round.getValueAtPercentile(99));
		}

	}

	@FunctionalInterface
	interface Call {

		/** One call; returns false when the call failed. */
		boolean call() throws Exception;

	}

	private UsersGet() {
	}

	static void run(StubServer stub, Report report, boolean quick, boolean firstRowOnly) throws Exception {
		THREADS.setThreadAllocatedMemoryEnabled(true);
		THREADS.setThreadCpuTimeEnabled(true);
		Plan plan = quick ? QUICK : FULL;
		if (firstRowOnly) {
			// For comparing settings and changes quickly: the 0 ms, c=1 row and nothing else.
			plan = new Plan(plan.warmUp1(), plan.warmUp32(), new int[][] { plan.rows()[0] }, 0, 0, 0, 0);
		}
		Integer warmUp = Integer.getInteger("bench.warmup");
		if (warmUp != null) {
			plan = new Plan(warmUp, plan.warmUp32(), plan.rows(), plan.streamRounds(), plan.streamCalls(),
					plan.hedgeCalls(), plan.poolRounds());
		}
		report.line("");
		report.line("### (u) As users get it: Boot app (Actuator, Prometheus), the auto-configured bean vs bare "
				+ "OpenAiChatModel with the same ObservationRegistry%s", quick ? " (--quick)" : "");
		report.line("");
		report.line("- load average at start: %s", loadAverage());
		ExecutorService one = platformPool(1);
		ExecutorService many = platformPool(32);
		try (ConfigurableApplicationContext context = context(stub)) {
			ResilientChatClient bean = context.getBean(ResilientChatClient.class);
			ObservationRegistry observations = context.getBean(ObservationRegistry.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			OpenAiChatModel bare = bare(stub, observations, true);
			report.line("- context: meter registry %s, observation registry noop: %s, last-good store beans: %s, "
					+ "metrics listener: %s", meters.getClass().getSimpleName(), observations.isNoop(),
					String.join(",", context.getBeanNamesForType(io.github.aifallback.chat.lastgood.LastGoodStore.class)),
					context.containsBean("fallbackMetricsCustomizer"));
			report.line("- bare: OpenAiChatModel.builder(), same ObservationRegistry, maxRetries 0, timeout 10 s, "
					+ "OkHttp pool 64 idle / 5 min (as the chain's entries); load: fixed pools of platform threads "
					+ "(1 and 32), the same threads for both clients");
			report.line("- unique prompts (\"Say hello in one short sentence. #<n>\") for both clients");
			stub.behave(BenchmarkMain.PRIMARY, Behaviour.HEALTHY);
			stub.behave(BenchmarkMain.SECONDARY, Behaviour.HEALTHY);
			long t0 = System.nanoTime();
			// Warm-up, stated: each client, 0 ms upstream, c=1 then c=32.
			for (int i = 0; i < 2; i++) {
				round(one, 1, plan.warmUp1() / 2, calling(bare), new Side());
				round(one, 1, plan.warmUp1() / 2, calling(bean), new Side());
			}
			round(many, 32, plan.warmUp32(), calling(bare), new Side());
			round(many, 32, plan.warmUp32(), calling(bean), new Side());
			report.line("- warm-up: %d calls per client at c=1 then %d at c=32 (0 ms upstream), %.1f s; then one "
					+ "round per client before each row", plan.warmUp1(), plan.warmUp32(), (System.nanoTime() - t0) / 1e9);
			report.line("");
			report.line("Rounds alternate bare and bean, the order swapped every round; each side's rounds pooled "
					+ "into an HdrHistogram. alloc = bytes allocated by the calling threads per call "
					+ "(ThreadMXBean#getThreadAllocatedBytes); thread CPU = the calling threads' CPU per call; "
					+ "process CPU = the whole JVM's CPU time per call during that side's rounds (the stub included, "
					+ "the same for both). paired p50 ratio = median over rounds of bean p50 / bare p50, paired added "
					+ "p50 = median over rounds of bean p50 - bare p50, paired p99 ratio = median over rounds of bean "
					+ "p99 / bare p99 (the round pairs ran back to back: what the machine's drift from round to round "
					+ "does to both sides cancels).");
			report.line("");
			report.table("upstream", "conc.", "rounds x calls", "client", "p50 ms", "p99 ms", "p99.9 ms", "alloc B/call",
					"thread CPU µs/call", "process CPU µs/call", "calls/s", "ok", "added p50 µs", "paired added p50 µs",
					"p50 ratio", "paired p50 ratio", "p99 ratio", "paired p99 ratio", "load avg");
			for (int[] row : plan.rows()) {
				long latency = row[0];
				int concurrency = row[1];
				int rounds = row[2];
				int calls = row[3];
				ExecutorService pool = (concurrency == 1) ? one : many;
				stub.behave(BenchmarkMain.PRIMARY, Behaviour.latency(latency));
				stub.behave(BenchmarkMain.SECONDARY, Behaviour.latency(latency));
				round(pool, concurrency, calls, calling(bare), new Side());
				round(pool, concurrency, calls, calling(bean), new Side());
				Side b = new Side();
				Side r = new Side();
				interleave(pool, concurrency, rounds, calls, calling(bare), calling(bean), b, r);
				String load = loadAverage();
				String name = latency + " ms";
				String shape = rounds + " x " + calls;
				row(report, name, concurrency, shape, "bare", figures(b), "", "", "", "", "", "", load);
				double bp50 = b.latencies.getValueAtPercentile(50);
				double rp50 = r.latencies.getValueAtPercentile(50);
				row(report, name, concurrency, shape, "bean", figures(r), Report.us(rp50 - bp50),
						Report.us(pairedDifference(b, r)), Report.f("%.4f", rp50 / bp50), Report.f("%.4f", pairedRatio(b, r)),
						Report.f("%.4f", (double) r.latencies.getValueAtPercentile(99) / b.latencies.getValueAtPercentile(99)),
						Report.f("%.4f", pairedRatio(b.roundP99, r.roundP99)), load);
			}
			int[] first = plan.rows()[0];
			if (first[0] == 0 && first[1] == 1) {
				alternating(report, stub, one, first[2], first[3], bare, bean);
			}
			if (!firstRowOnly) {
				streaming(report, stub, plan, one, bare, bean);
				pools(report, stub, plan, one, many, observations);
				hedging(report, stub, plan, bare, bean);
			}
		}
		finally {
			one.shutdownNow();
			many.shutdownNow();
		}
	}

	/**
	 * For a profiler (scenario letter {@code U}): the context of {@link #run}, the same
	 * warm-up, then the bean alone (or the bare client with {@code bare}), unique prompts,
	 * 0 ms upstream, c=1, for {@code seconds}.
	 */
	static void profile(StubServer stub, Report report, boolean bareOnly, long seconds) throws Exception {
		THREADS.setThreadAllocatedMemoryEnabled(true);
		ExecutorService one = platformPool(1);
		try (ConfigurableApplicationContext context = context(stub)) {
			ResilientChatClient bean = context.getBean(ResilientChatClient.class);
			OpenAiChatModel bare = bare(stub, context.getBean(ObservationRegistry.class), true);
			for (int i = 0; i < 2; i++) {
				round(one, 1, FULL.warmUp1() / 2, calling(bare), new Side());
				round(one, 1, FULL.warmUp1() / 2, calling(bean), new Side());
			}
			Call call = calling(bareOnly ? bare : bean);
			long end = System.nanoTime() + seconds * 1_000_000_000L;
			Side side = new Side();
			report.line("profile start %d (%s)", System.currentTimeMillis(), bareOnly ? "bare" : "bean");
			while (System.nanoTime() < end) {
				round(one, 1, 1_000, call, side);
			}
			report.line("profile end %d: %d calls, %.0f B/call, p50 %s ms", System.currentTimeMillis(), side.calls,
					side.perCall(side.allocated.sum()), Report.ms(side.latencies.getValueAtPercentile(50)));
		}
		finally {
			one.shutdownNow();
		}
	}

	/**
	 * For judging a change or a setting (scenario letter {@code A}): the bare client, the
	 * default bean and a second bean with {@code settings} on top of the defaults, in one
	 * JVM, rounds rotating the three, {@code concurrency} callers per client (500 calls per
	 * round at c=1, 400 above) and {@code latencyMillis} upstream. Runs of separate JVMs
	 * differ by more than the effects looked for (the bare p50 alone moves by 30%), one JVM
	 * does not.
	 */
	static void compare(StubServer stub, Report report, String[] settings, int rounds, int concurrency,
			long latencyMillis) throws Exception {
		THREADS.setThreadAllocatedMemoryEnabled(true);
		THREADS.setThreadCpuTimeEnabled(true);
		// A thread of its own per client, so that a profiler tells the three apart in one run.
		ExecutorService[] ones = { platformPool("ab-bare-", concurrency), platformPool("ab-defaults-", concurrency),
				platformPool("ab-changed-", concurrency) };
		int perRound = (concurrency == 1) ? 500 : 400;
		try (ConfigurableApplicationContext defaults = context(stub);
				ConfigurableApplicationContext changed = context(stub, settings)) {
			OpenAiChatModel bare = bare(stub, defaults.getBean(ObservationRegistry.class), true);
			Call[] calls = { calling(bare), calling(defaults.getBean(ResilientChatClient.class)),
					calling(changed.getBean(ResilientChatClient.class)) };
			String[] names = { "bare", "bean (defaults)", "bean " + String.join(" ", settings) };
			stub.behave(BenchmarkMain.PRIMARY, Behaviour.HEALTHY);
			stub.behave(BenchmarkMain.SECONDARY, Behaviour.HEALTHY);
			// Past C2 for every client's own code (see FULL): 20,000 calls each, in two turns.
			for (int i = 0; i < 2; i++) {
				for (int k = 0; k < 3; k++) {
					round(ones[k], 1, 10_000, calls[k], new Side());
				}
			}
			stub.behave(BenchmarkMain.PRIMARY, Behaviour.latency(latencyMillis));
			stub.behave(BenchmarkMain.SECONDARY, Behaviour.latency(latencyMillis));
			Side[] sides = { new Side(), new Side(), new Side() };
			report.line("ab rounds start %d", System.currentTimeMillis());
			for (int r = 0; r < rounds; r++) {
				for (int k = 0; k < 3; k++) {
					int which = (r + k) % 3;
					round(ones[which], concurrency, perRound, calls[which], sides[which]);
				}
			}
			report.line("ab rounds end %d", System.currentTimeMillis());
			if (Boolean.getBoolean("bench.hold")) {
				// For a profiler attached during the rounds: time to stop it and write its file.
				Thread.sleep(5_000);
			}
			report.line("");
			report.line("### (A) %d rounds x %d calls each, %d ms upstream, c=%d, load average %s", rounds, perRound,
					latencyMillis, concurrency, loadAverage());
			report.line("");
			for (int k = 0; k < 3; k++) {
				report.line("- shape, %s (ms):%s", names[k], shape(sides[k]));
			}
			report.line("");
			report.table("client", "p50 ms", "p99 ms", "p99.9 ms", "alloc B/call", "thread CPU µs/call",
					"process CPU µs/call", "calls/s", "ok", "added p50 µs", "paired added p50 µs", "paired p50 ratio");
			double bareP50 = sides[0].latencies.getValueAtPercentile(50);
			for (int k = 0; k < 3; k++) {
				double p50 = sides[k].latencies.getValueAtPercentile(50);
				row(report, names[k], figures(sides[k]), (k == 0) ? "" : Report.us(p50 - bareP50),
						(k == 0) ? "" : Report.us(pairedDifference(sides[0], sides[k])),
						(k == 0) ? "" : Report.f("%.4f", pairedRatio(sides[0], sides[k])));
			}
		}
		finally {
			for (ExecutorService one : ones) {
				one.shutdownNow();
			}
		}
	}

	/** The distribution's shape, for a reader comparing runs. */
	static String shape(Side side) {
		StringBuilder text = new StringBuilder();
		for (double p : new double[] { 5, 10, 25, 50, 75, 90 }) {
			text.append(Report.f(" p%.0f=%.3f", p, side.latencies.getValueAtPercentile(p) / 1e6));
		}
		return text.toString();
	}

	private static Object[] figures(Side side) {
		return new Object[] { Report.ms(side.latencies.getValueAtPercentile(50)),
				Report.ms(side.latencies.getValueAtPercentile(99)), Report.ms(side.latencies.getValueAtPercentile(99.9)),
				Report.f("%.0f", side.perCall(side.allocated.sum())),
				Report.f("%.1f", side.perCall(side.threadCpu.sum()) / 1e3),
				Report.f("%.1f", side.perCall(side.processCpu) / 1e3),
				Report.f("%.0f", side.calls / (side.wallNanos / 1e9)), side.ok + "/" + side.calls };
	}

	/** A table row whose cells may be arrays of cells (flattened). */
	private static void row(Report report, Object... cells) {
		List<Object> flat = new ArrayList<>();
		for (Object cell : cells) {
			if (cell instanceof Object[] many) {
				flat.addAll(Arrays.asList(many));
			}
			else {
				flat.add(cell);
			}
		}
		report.row(flat.toArray());
	}

	/** Median over the round pairs of bean p50 minus bare p50, in nanoseconds. */
	private static double pairedDifference(Side bare, Side bean) {
		double[] differences = new double[bare.roundP50.size()];
		for (int i = 0; i < differences.length; i++) {
			differences[i] = bean.roundP50.get(i) - bare.roundP50.get(i);
		}
		return Load.median(differences);
	}

	private static double pairedRatio(Side bare, Side bean) {
		return pairedRatio(bare.roundP50, bean.roundP50);
	}

	/** Median over the round pairs of bean / bare, for one percentile's per-round values. */
	private static double pairedRatio(List<Long> bare, List<Long> bean) {
		double[] ratios = new double[bare.size()];
		for (int i = 0; i < ratios.length; i++) {
			ratios[i] = (double) bean.get(i) / bare.get(i);
		}
		return Load.median(ratios);
	}

	private static void interleave(ExecutorService pool, int concurrency, int rounds, int calls, Call bare, Call bean,
			Side b, Side r) throws Exception {
		for (int i = 0; i < rounds; i++) {
			boolean bareFirst = (i % 2 == 0);
			for (int side = 0; side < 2; side++) {
				boolean isBare = (side == 0) == bareFirst;
				round(pool, concurrency, calls, isBare ? bare : bean, isBare ? b : r);
			}
		}
	}

	/**
	 * The 0 ms, c=1 row again with the two clients' calls alternating one by one (the order
	 * swapped every pair), for the p99. A round of 500 calls lasts about 0.1 s, and this
	 * 2-vCPU VM has spells of that length in which every call of a round is slow, for either
	 * client: a pooled p99 of round-interleaved sides is set by which side the few such
	 * spells fell on (between runs the bare client's own p99 moved from 0.35 to 1.80 ms).
	 * Calls alternating one by one share every spell. They would also share work a client
	 * leaves to a thread of its own, which lands on whichever call runs then: the bean leaves
	 * none at c=1 (the only call running writes its last good answer itself), and the round
	 * pairs' figures, where such work stays on its own side, are kept beside these.
	 * {@code -Dbench.calls=FILE} writes each call of this pass (round, client, start ns,
	 * latency ns), to see where the slow ones fall.
	 */
	private static void alternating(Report report, StubServer stub, ExecutorService one, int rounds, int pairs,
			ChatModel bare, ChatModel bean) throws Exception {
		stub.behave(BenchmarkMain.PRIMARY, Behaviour.latency(0));
		stub.behave(BenchmarkMain.SECONDARY, Behaviour.latency(0));
		Call[] calls = { calling(bare), calling(bean) };
		Side[] sides = { new Side(), new Side() };
		List<String> log = new ArrayList<>();
		boolean logging = System.getProperty("bench.calls") != null;
		one.submit(() -> {
			for (int round = 0; round < rounds; round++) {
				Histogram[] histograms = { new Histogram(3_600_000_000_000L, 3), new Histogram(3_600_000_000_000L, 3) };
				for (int i = 0; i < 2 * pairs; i++) {
					int side = (i & 1) ^ ((i >> 1) & 1);
					long t0 = System.nanoTime();
					boolean success = succeeds(calls[side]);
					long took = System.nanoTime() - t0;
					histograms[side].recordValue(took);
					sides[side].ok += success ? 1 : 0;
					if (logging) {
						log.add(round + "," + ((side == 0) ? "bare" : "bean") + "," + t0 + "," + took);
					}
				}
				for (int side = 0; side < 2; side++) {
					sides[side].endRound(histograms[side]);
				}
			}
			return null;
		}).get();
		if (logging) {
			java.nio.file.Files.write(java.nio.file.Path.of(System.getProperty("bench.calls")), log);
		}
		Side b = sides[0];
		Side r = sides[1];
		report.line("");
		report.line("0 ms, c=1, the calls of the two clients alternating one by one (bare, bean, bean, bare, ...), "
				+ "%d rounds x %d calls per client: both sides share every slow spell of the machine, so the pooled "
				+ "p99 ratio compares the clients, not where the spells fell.", rounds, pairs);
		report.line("");
		report.table("client", "p50 ms", "p99 ms", "p99.9 ms", "ok", "added p50 µs", "paired added p50 µs", "p99 ratio",
				"paired p99 ratio", "load avg");
		String load = loadAverage();
		report.row("bare", Report.ms(b.latencies.getValueAtPercentile(50)), Report.ms(b.latencies.getValueAtPercentile(99)),
				Report.ms(b.latencies.getValueAtPercentile(99.9)), b.ok + "/" + b.calls, "", "", "", "", load);
		report.row("bean", Report.ms(r.latencies.getValueAtPercentile(50)), Report.ms(r.latencies.getValueAtPercentile(99)),
				Report.ms(r.latencies.getValueAtPercentile(99.9)), r.ok + "/" + r.calls,
				Report.us(r.latencies.getValueAtPercentile(50) - b.latencies.getValueAtPercentile(50)),
				Report.us(pairedDifference(b, r)),
				Report.f("%.4f", (double) r.latencies.getValueAtPercentile(99) / b.latencies.getValueAtPercentile(99)),
				Report.f("%.4f", pairedRatio(b.roundP99, r.roundP99)), load);
	}

	/** One round: {@code calls} calls from {@code concurrency} workers of the pool. */
	private static void round(ExecutorService pool, int concurrency, int calls, Call call, Side into)
			throws Exception {
		AtomicInteger next = new AtomicInteger();
		Histogram roundHistogram = new Histogram(3_600_000_000_000L, 3);
		List<Future<Histogram>> workers = new ArrayList<>();
		long cpu0 = OS.getProcessCpuTime();
		long start = System.nanoTime();
		LongAdder ok = new LongAdder();
		for (int w = 0; w < concurrency; w++) {
			workers.add(pool.submit(() -> {
				Histogram mine = new Histogram(3_600_000_000_000L, 3);
				long id = Thread.currentThread().getId();
				long bytes0 = THREADS.getThreadAllocatedBytes(id);
				long cpuStart = THREADS.getCurrentThreadCpuTime();
				while (next.getAndIncrement() < calls) {
					long t0 = System.nanoTime();
					boolean success = succeeds(call);
					mine.recordValue(System.nanoTime() - t0);
					if (success) {
						ok.increment();
					}
				}
				into.threadCpu.add(THREADS.getCurrentThreadCpuTime() - cpuStart);
				into.allocated.add(THREADS.getThreadAllocatedBytes(id) - bytes0);
				return mine;
			}));
		}
		for (Future<Histogram> worker : workers) {
			roundHistogram.add(worker.get());
		}
		into.wallNanos += System.nanoTime() - start;
		into.processCpu += OS.getProcessCpuTime() - cpu0;
		into.ok += ok.sum();
		into.endRound(roundHistogram);
	}

	/** One call; a call that throws has failed. */
	private static boolean succeeds(Call call) {
		try {
			return call.call();
		}
		catch (Exception ex) {
			return false;
		}
	}

	private static Call calling(ChatModel model) {
		return () -> {
			ChatResponse response = model.call(prompt());
			return response != null && response.getResult() != null;
		};
	}

	private static Prompt prompt() {
		return new Prompt("Say hello in one short sentence. #" + SEQUENCE.incrementAndGet());
	}

	/** Time to first token: the first chunk with text, the whole stream consumed. */
	private static void streaming(Report report, StubServer stub, Plan plan, ExecutorService one, ChatModel bare,
			ChatModel bean) throws Exception {
		report.line("");
		report.line("#### (u) Streaming: time to first token, c=1, unique prompts");
		report.line("");
		report.line("Stub: the first chunk after the upstream latency, then 5 more, a finish chunk and [DONE], "
				+ "each flushed. Time to first token = from stream() to the first ChatResponse with text; the stream "
				+ "is consumed to its end (no cancel). Rounds interleaved as above; warm-up 500 streams per client.");
		report.line("");
		report.table("upstream", "rounds x streams", "client", "TTFT p50 ms", "TTFT p99 ms", "TTFT p99.9 ms",
				"alloc B/stream", "ok", "added TTFT p50 µs", "TTFT p50 ratio", "load avg");
		for (long latency : new long[] { 0, 20 }) {
			stub.behave(BenchmarkMain.PRIMARY, Behaviour.latency(latency));
			stub.behave(BenchmarkMain.SECONDARY, Behaviour.latency(latency));
			int rounds = (latency == 0) ? plan.streamRounds() : Math.max(4, plan.streamRounds() / 2);
			int calls = (latency == 0) ? plan.streamCalls() : Math.max(20, plan.streamCalls() / 5);
			if (latency == 0) {
				round(one, 1, 500, firstToken(bare), new Side());
				round(one, 1, 500, firstToken(bean), new Side());
			}
			Side b = new Side();
			Side r = new Side();
			interleaveTtft(one, rounds, calls, bare, bean, b, r);
			String load = loadAverage();
			row(report, latency + " ms", rounds + " x " + calls, "bare", Report.ms(b.latencies.getValueAtPercentile(50)),
					Report.ms(b.latencies.getValueAtPercentile(99)), Report.ms(b.latencies.getValueAtPercentile(99.9)),
					Report.f("%.0f", b.perCall(b.allocated.sum())), b.ok + "/" + b.calls, "", "", load);
			double bp50 = b.latencies.getValueAtPercentile(50);
			double rp50 = r.latencies.getValueAtPercentile(50);
			row(report, latency + " ms", rounds + " x " + calls, "bean", Report.ms(rp50),
					Report.ms(r.latencies.getValueAtPercentile(99)), Report.ms(r.latencies.getValueAtPercentile(99.9)),
					Report.f("%.0f", r.perCall(r.allocated.sum())), r.ok + "/" + r.calls, Report.us(rp50 - bp50),
					Report.f("%.4f", rp50 / bp50), load);
		}
	}

	private static void interleaveTtft(ExecutorService one, int rounds, int calls, ChatModel bare, ChatModel bean,
			Side b, Side r) throws Exception {
		for (int i = 0; i < rounds; i++) {
			boolean bareFirst = (i % 2 == 0);
			for (int side = 0; side < 2; side++) {
				boolean isBare = (side == 0) == bareFirst;
				ttftRound(one, calls, isBare ? bare : bean, isBare ? b : r);
			}
		}
	}

	private static void ttftRound(ExecutorService one, int calls, ChatModel model, Side into) throws Exception {
		one.submit(() -> {
			long id = Thread.currentThread().getId();
			long bytes0 = THREADS.getThreadAllocatedBytes(id);
			for (int i = 0; i < calls; i++) {
				long t0 = System.nanoTime();
				long[] first = { -1 };
				try {
					model.stream(prompt()).doOnNext((response) -> {
						if (first[0] < 0 && response.getResult() != null
								&& response.getResult().getOutput().getText() != null
								&& !response.getResult().getOutput().getText().isEmpty()) {
							first[0] = System.nanoTime() - t0;
						}
					}).blockLast();
				}
				catch (RuntimeException ex) {
					// counted below as not ok
				}
				into.calls++;
				if (first[0] >= 0) {
					into.ok++;
					into.latencies.recordValue(first[0]);
				}
			}
			// Only the caller's share: the SDK parses the stream on OkHttp's threads.
			into.allocated.add(THREADS.getThreadAllocatedBytes(id) - bytes0);
			return null;
		}).get();
	}

	private static Call firstToken(ChatModel model) {
		return () -> model.stream(prompt()).blockLast() != null;
	}

	/**
	 * Why the older tables showed the starter faster than the bare client: the bare client
	 * with Spring AI's default OkHttp pool (5 idle connections) against the same client with
	 * the pool the chain's entries get (64 idle), interleaved, no starter involved.
	 */
	private static void pools(Report report, StubServer stub, Plan plan, ExecutorService one, ExecutorService many,
			ObservationRegistry observations) throws Exception {
		report.line("");
		report.line("#### (u) Two bare clients: Spring AI's default OkHttp pool (5 idle) vs 64 idle, 0 ms");
		report.line("");
		report.line("Both are the bare OpenAiChatModel with the same ObservationRegistry; only the pool differs. "
				+ "\"new connections\" = connections the stub accepted during that side's rounds, per 1,000 calls.");
		report.line("");
		report.table("conc.", "rounds x calls", "pool", "p50 ms", "p99 ms", "p99.9 ms", "alloc B/call",
				"thread CPU µs/call", "process CPU µs/call", "calls/s", "ok", "new connections / 1,000 calls",
				"p50 ratio default/64", "load avg");
		OpenAiChatModel defaultPool = bare(stub, observations, false);
		OpenAiChatModel wide = bare(stub, observations, true);
		stub.behave(BenchmarkMain.PRIMARY, Behaviour.latency(0));
		for (int concurrency : new int[] { 1, 32 }) {
			ExecutorService pool = (concurrency == 1) ? one : many;
			int calls = (concurrency == 1) ? 300 : 1_000;
			round(pool, concurrency, calls * 2, calling(defaultPool), new Side());
			round(pool, concurrency, calls * 2, calling(wide), new Side());
			Side d = new Side();
			Side w = new Side();
			long[] accepted = new long[2];
			for (int i = 0; i < plan.poolRounds(); i++) {
				boolean defaultFirst = (i % 2 == 0);
				for (int side = 0; side < 2; side++) {
					boolean isDefault = (side == 0) == defaultFirst;
					long before = stub.connections();
					round(pool, concurrency, calls, calling(isDefault ? defaultPool : wide), isDefault ? d : w);
					accepted[isDefault ? 0 : 1] += stub.connections() - before;
				}
			}
			String load = loadAverage();
			row(report, concurrency, plan.poolRounds() + " x " + calls, "default (5 idle)", figures(d),
					Report.f("%.1f", 1000.0 * accepted[0] / d.calls), Report.f("%.4f",
							(double) d.latencies.getValueAtPercentile(50) / w.latencies.getValueAtPercentile(50)),
					load);
			row(report, concurrency, plan.poolRounds() + " x " + calls, "64 idle", figures(w),
					Report.f("%.1f", 1000.0 * accepted[1] / w.calls), "", load);
		}
	}

	/**
	 * A primary slow on 5% of requests: the bean of the main context (no hedging), and a
	 * second context whose primary hedges after its observed p95 (floor 25 ms).
	 */
	private static void hedging(Report report, StubServer stub, Plan plan, ChatModel bare, ChatModel bean)
			throws Exception {
		report.line("");
		report.line("#### (u) Primary slow on 5%% of requests (20 ms, else 1,000 ms), secondary 20 ms: hedging off and on");
		report.line("");
		report.line("Concurrency 8 (platform threads), %d calls per row after 200 at 20 ms; the slow requests are "
				+ "drawn by a random seeded with 42, reset per row. \"Extra requests\" = requests the stub received / "
				+ "calls - 1. Hedged bean: a second context of the same application with "
				+ "ai.fallback.chain[0].hedge.delay=25ms, ai.fallback.chain[0].hedge.use-observed-p95=true "
				+ "(hedge budget: the default 10%%).", plan.hedgeCalls());
		report.line("");
		report.table("client", "calls", "p50 ms", "p95 ms", "p99 ms", "p99.9 ms", "max ms", "extra requests",
				"hedged calls", "ok", "load avg");
		ExecutorService eight = platformPool(8);
		try (ConfigurableApplicationContext hedgedContext = context(stub,
				"ai.fallback.chain[0].hedge.delay=25ms", "ai.fallback.chain[0].hedge.use-observed-p95=true")) {
			ChatModel hedged = hedgedContext.getBean(ResilientChatClient.class);
			Object[][] rows = { { "bare (primary only)", bare }, { "bean, hedging off (defaults)", bean },
					{ "bean, hedged after observed p95 (floor 25 ms)", hedged } };
			for (Object[] row : rows) {
				ChatModel model = (ChatModel) row[1];
				stub.behave(BenchmarkMain.PRIMARY, Behaviour.latency(20));
				stub.behave(BenchmarkMain.SECONDARY, Behaviour.latency(20));
				round(eight, 8, 200, calling(model), new Side());
				stub.behave(BenchmarkMain.PRIMARY, Behaviour.sometimesSlow(20, 0.05, 1000, 42));
				stub.resetCounters();
				Side side = new Side();
				AtomicInteger hedgedCalls = new AtomicInteger();
				round(eight, 8, plan.hedgeCalls(), () -> {
					ChatResponse response = model.call(prompt());
					if (Boolean.TRUE.equals(response.getMetadata().get(FallbackMetadata.HEDGED))) {
						hedgedCalls.incrementAndGet();
					}
					return true;
				}, side);
				long requests = stub.requests(BenchmarkMain.PRIMARY) + stub.requests(BenchmarkMain.SECONDARY);
				Histogram h = side.latencies;
				row(report, row[0], side.calls, Report.ms(h.getValueAtPercentile(50)), Report.ms(h.getValueAtPercentile(95)),
						Report.ms(h.getValueAtPercentile(99)), Report.ms(h.getValueAtPercentile(99.9)),
						Report.ms(h.getMaxValue()), Report.f("%.1f%%", 100.0 * (requests - side.calls) / side.calls),
						hedgedCalls.get(), side.ok + "/" + side.calls, loadAverage());
			}
		}
		finally {
			eight.shutdownNow();
		}
	}

	/**
	 * The bare client over the stub: Spring AI's own OkHttp pool, or with {@code widePool}
	 * the chain entries' (64 idle connections, 5 min).
	 */
	static OpenAiChatModel bare(StubServer stub, ObservationRegistry observations, boolean widePool) {
		OpenAiChatModel.Builder builder = OpenAiChatModel.builder()
			.options(OpenAiChatOptions.builder()
				.baseUrl(stub.baseUrl())
				.apiKey("bench-key")
				.model(BenchmarkMain.PRIMARY)
				.maxRetries(0)
				.timeout(Duration.ofSeconds(10))
				.build())
			.observationRegistry(observations);
		if (widePool) {
			// What SingleRequestOkHttp gives every chain entry whose client nobody tuned.
			builder.httpClientBuilderCustomizer(
					(http) -> http.maxIdleConnections(64).keepAliveDuration(Duration.ofMinutes(5)));
		}
		return builder.build();
	}

	private static ConfigurableApplicationContext context(StubServer stub, String... extra) {
		String[] properties = { "spring.ai.openai.base-url=" + stub.baseUrl(), "spring.ai.openai.api-key=bench-key",
				"ai.fallback.chain[0].model=" + BenchmarkMain.PRIMARY, "ai.fallback.chain[0].name=primary",
				"ai.fallback.chain[1].model=" + BenchmarkMain.SECONDARY, "ai.fallback.chain[1].name=secondary" };
		String[] settings = Arrays.copyOf(properties, properties.length + extra.length);
		System.arraycopy(extra, 0, settings, properties.length, extra.length);
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(settings)
			.run();
	}

	private static ExecutorService platformPool(int threads) {
		return platformPool("load-", threads);
	}

	private static ExecutorService platformPool(String prefix, int threads) {
		AtomicInteger n = new AtomicInteger();
		return Executors.newFixedThreadPool(threads, (task) -> {
			Thread thread = new Thread(task, prefix + n.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	static String loadAverage() {
		try {
			String[] fields = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (java.io.IOException | RuntimeException ex) {
			return Report.f("%.2f", OS.getSystemLoadAverage());
		}
	}

}

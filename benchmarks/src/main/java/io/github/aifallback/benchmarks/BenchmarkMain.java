package io.github.aifallback.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.aifallback.benchmarks.StubServer.Behaviour;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.RetrySettings;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.lastgood.CacheLastGoodStore;
import io.github.aifallback.chat.openai.OpenAiEntryModel;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.cache.caffeine.CaffeineCache;

/**
 * Measures what resilience costs: the bare spring-ai-openai client against
 * {@link ResilientChatClient} over one local OpenAI-compatible stub, in the scenarios of
 * docs/benchmarks.md. Arguments: scenario letters to run (default all: {@code 0abcdef}) and
 * {@code --out=path} for the markdown results (default target/benchmarks-results.md); for
 * the goodput scenarios ({@code o}: old policy, {@code n}: new policy, see {@link Goodput})
 * {@code --seconds=N} (default 60); {@code u} the bean as users get it (issue 23, {@link UsersGet}; {@code --quick} for a
 * shorter run, {@code --first} for its 0 ms, c=1 row only); {@code A} the bare client, the bean and
 * the bean with the {@code --set} settings side by side in one JVM ({@code --rounds=N}, default 30,
 * {@code --concurrency=N} and {@code --latency=ms} for the stub, default 1 and 0;
 * {@code -Dbench.hold=true} keeps the JVM 5 s after the rounds, for a profiler); and {@code --set=key=value} (a property, repeatable); or
 * {@code jmh} followed by JMH's own options for the microbenchmarks ({@link HotPathBenchmarks}).
 */
public final class BenchmarkMain {

	static final String PRIMARY = "primary-model";

	static final String SECONDARY = "secondary-model";

	/** Tags of a resilient call: who served it and whether attempts failed first. */
	static final int PRIMARY_CLEAN = 0;

	static final int PRIMARY_RETRIED = 1;

	static final int SECONDARY_SKIPPED_PRIMARY = 2;

	static final int SECONDARY_AFTER_FAILURES = 3;

	static final int CACHE = 4;

	static final Prompt PROMPT = new Prompt("Say hello in one short sentence.");

	static final int[] CONCURRENCY = { 1, 32 };

	static final int RUNS = 5;

	private final StubServer stub;

	private final Report report;

	private BenchmarkMain(StubServer stub, Report report) {
		this.stub = stub;
		this.report = report;
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("jmh")) {
			// The microbenchmarks (HotPathBenchmarks): the rest of the arguments go to JMH.
			org.openjdk.jmh.Main.main(java.util.Arrays.copyOfRange(args, 1, args.length));
			return;
		}
		// Without it the JDK server waits on Nagle/delayed ACK: ~40 ms per request.
		System.setProperty("sun.net.httpserver.nodelay", "true");
		String scenarios = "0abcdef";
		Path out = Path.of("target", "benchmarks-results.md");
		long goodputSeconds = 60;
		List<String> goodputSettings = new ArrayList<>();
		boolean quick = false;
		boolean first = false;
		int rounds = 30;
		int concurrency = 1;
		long latency = 0;
		for (String arg : args) {
			if (arg.startsWith("--out=")) {
				out = Path.of(arg.substring("--out=".length()));
			}
			else if (arg.startsWith("--seconds=")) {
				goodputSeconds = Long.parseLong(arg.substring("--seconds=".length()));
			}
			else if (arg.equals("--quick")) {
				quick = true;
			}
			else if (arg.equals("--first")) {
				first = true;
			}
			else if (arg.startsWith("--rounds=")) {
				rounds = Integer.parseInt(arg.substring("--rounds=".length()));
			}
			else if (arg.startsWith("--concurrency=")) {
				concurrency = Integer.parseInt(arg.substring("--concurrency=".length()));
			}
			else if (arg.startsWith("--latency=")) {
				latency = Long.parseLong(arg.substring("--latency=".length()));
			}
			else if (arg.startsWith("--set=")) {
				goodputSettings.add(arg.substring("--set=".length()));
			}
			else {
				scenarios = arg;
			}
		}
		Report report = new Report(System.out);
		long started = System.nanoTime();
		report.line("## Run");
		report.line("");
		report.line("- JDK: %s %s (%s), %s", System.getProperty("java.vm.vendor"), System.getProperty("java.vm.name"),
				System.getProperty("java.runtime.version"), System.getProperty("java.home"));
		report.line("- available processors: %d, max heap: %d MiB, load threads: %s",
				Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
				Load.VIRTUAL ? "virtual" : "platform (fixed pool)");
		report.line("- JVM flags: %s", ManagementFactory.getRuntimeMXBean().getInputArguments());
		try (StubServer stub = new StubServer(64)) {
			report.line("- stub: %s (JDK HttpServer, 64 platform threads, nodelay=%s)", stub.baseUrl(),
					System.getProperty("sun.net.httpserver.nodelay"));
			BenchmarkMain bench = new BenchmarkMain(stub, report);
			if (scenarios.contains("0")) {
				EngineOnly.run(report);
			}
			if (scenarios.contains("p")) {
				bench.profile();
			}
			if (scenarios.contains("a")) {
				bench.healthy();
			}
			if (scenarios.contains("b")) {
				bench.flaky();
			}
			if (scenarios.contains("c")) {
				bench.primaryDown();
			}
			if (scenarios.contains("d")) {
				bench.primaryHanging();
			}
			if (scenarios.contains("f")) {
				BootBean.run(stub, report);
			}
			if (scenarios.contains("g")) {
				BootBean.ablation(stub, report);
			}
			if (scenarios.contains("G")) {
				BootBean.ablation20(stub, report);
			}
			if (scenarios.contains("F")) {
				BootBean.profile(stub, report);
			}
			if (scenarios.contains("U")) {
				UsersGet.profile(stub, report, scenarios.contains("B"), goodputSeconds);
			}
			if (scenarios.contains("A")) {
				UsersGet.compare(stub, report, goodputSettings.toArray(String[]::new), rounds, concurrency, latency);
			}
			if (scenarios.contains("u")) {
				UsersGet.run(stub, report, quick, first);
			}
			if (scenarios.contains("h")) {
				Hedged.run(stub, report);
			}
			if (scenarios.contains("o")) {
				Goodput.run("old", goodputSettings.toArray(String[]::new), goodputSeconds, report);
			}
			if (scenarios.contains("n")) {
				Goodput.run("new", goodputSettings.toArray(String[]::new), goodputSeconds, report);
			}
		}
		if (scenarios.contains("e")) {
			HeapOfLastGood.run(report);
		}
		report.line("");
		report.line("Whole run: %.1f s", (System.nanoTime() - started) / 1e9);
		report.save(out);
	}

	// ---------------------------------------------------------------- clients

	OpenAiChatModel bare(String model, Duration timeout) {
		return OpenAiChatModel.builder()
			.options(OpenAiChatOptions.builder()
				.baseUrl(this.stub.baseUrl())
				.apiKey("bench-key")
				.model(model)
				.maxRetries(0)
				.timeout(timeout)
				.build())
			.build();
	}

	/**
	 * The chain the benchmarks use: short retry waits (1 ms doubling to 10 ms, jitter on),
	 * a last-good store as the auto-configuration makes by default.
	 */
	ResilientChatClient resilient(Duration timeout, CircuitBreakerSettings breaker, String... models) {
		ResilientChatClient.Builder builder = ResilientChatClient.builder()
			.timeout(timeout)
			.deadline(Duration.ofSeconds(30))
			.retry(new RetrySettings(3, Duration.ofMillis(1), 2.0, Duration.ofMillis(10), true, true, 8))
			.circuitBreaker(breaker)
			.lastGoodStore(new CacheLastGoodStore(
					new CaffeineCache("ai-fallback", Caffeine.newBuilder().maximumSize(10_000).build()),
					Duration.ofHours(1), Clock.systemUTC()));
		for (String model : models) {
			String name = model.equals(PRIMARY) ? "primary" : model.equals(SECONDARY) ? "secondary" : model;
			builder.entry(ChainEntry.of(name, model,
					OpenAiEntryModel.create(this.stub.baseUrl(), "bench-key", model, timeout)));
		}
		return builder.build();
	}

	static Load.Call plain(ChatModel model) {
		return (i) -> {
			model.call(PROMPT);
			return 0;
		};
	}

	static Load.Call tagged(ResilientChatClient client) {
		return (i) -> tag(client.call(PROMPT));
	}

	static int tag(ChatResponse response) {
		Object servedBy = response.getMetadata().get(FallbackMetadata.SERVED_BY);
		Object failed = response.getMetadata().get(FallbackMetadata.FAILED_ATTEMPTS);
		boolean failures = failed instanceof List<?> list && !list.isEmpty();
		if ("primary".equals(servedBy)) {
			return failures ? PRIMARY_RETRIED : PRIMARY_CLEAN;
		}
		if ("secondary".equals(servedBy)) {
			return failures ? SECONDARY_AFTER_FAILURES : SECONDARY_SKIPPED_PRIMARY;
		}
		return CACHE;
	}

	// ---------------------------------------------------------------- (a) healthy

	void healthy() throws Exception {
		this.report.line("");
		this.report.line("### (a) Healthy upstream: bare OpenAiChatModel vs ResilientChatClient (2 entries)");
		this.report.line("");
		this.report.line("Median of %d runs; each run alternates bare and resilient (order swapped every run).", RUNS);
		OpenAiChatModel bare = bare(PRIMARY, Duration.ofSeconds(10));
		ResilientChatClient resilient = resilient(Duration.ofSeconds(10), CircuitBreakerSettings.DEFAULTS, PRIMARY,
				SECONDARY);
		this.report.table("upstream", "conc.", "calls/run", "bare p50 ms", "resil. p50 ms", "added p50 µs",
				"bare p99 ms", "resil. p99 ms", "bare calls/s", "resil. calls/s", "ratio p50 r/b", "ratio thrpt b/r",
				"resil. ok");
		for (long latency : new long[] { 0, 20 }) {
			this.stub.behave(PRIMARY, Behaviour.latency(latency));
			this.stub.behave(SECONDARY, Behaviour.latency(latency));
			for (int concurrency : CONCURRENCY) {
				int calls = (latency == 0) ? ((concurrency == 1) ? 2000 : 5000) : ((concurrency == 1) ? 150 : 1600);
				int warmup = (latency == 0) ? 3000 : ((concurrency == 1) ? 100 : 640);
				Load.run(concurrency, warmup, 60_000, plain(bare));
				Load.run(concurrency, warmup, 60_000, tagged(resilient));
				double[][] b = new double[3][RUNS];
				double[][] r = new double[3][RUNS];
				int okResilient = 0;
				int allResilient = 0;
				for (int run = 0; run < RUNS; run++) {
					Load.Result br;
					Load.Result rr;
					if (run % 2 == 0) {
						br = Load.run(concurrency, calls, 60_000, plain(bare));
						rr = Load.run(concurrency, calls, 60_000, tagged(resilient));
					}
					else {
						rr = Load.run(concurrency, calls, 60_000, tagged(resilient));
						br = Load.run(concurrency, calls, 60_000, plain(bare));
					}
					fill(b, run, br);
					fill(r, run, rr);
					okResilient += rr.successes();
					allResilient += rr.count();
				}
				double bp50 = Load.median(b[0]);
				double rp50 = Load.median(r[0]);
				this.report.row(latency + " ms", concurrency, calls, Report.ms(bp50), Report.ms(rp50),
						Report.us(rp50 - bp50), Report.ms(Load.median(b[1])), Report.ms(Load.median(r[1])),
						Report.f("%.0f", Load.median(b[2])), Report.f("%.0f", Load.median(r[2])),
						Report.f("%.4f", rp50 / bp50), Report.f("%.4f", Load.median(b[2]) / Load.median(r[2])),
						okResilient + "/" + allResilient);
			}
		}
	}

	/** For JFR: bare, then resilient, 0 ms upstream, concurrency 32, separated in time. */
	void profile() throws Exception {
		this.stub.behave(PRIMARY, Behaviour.HEALTHY);
		OpenAiChatModel bare = bare(PRIMARY, Duration.ofSeconds(10));
		ResilientChatClient resilient = resilient(Duration.ofSeconds(10), CircuitBreakerSettings.DEFAULTS, PRIMARY,
				SECONDARY);
		Load.run(32, 5000, 60_000, plain(bare));
		Load.run(32, 5000, 60_000, tagged(resilient));
		for (int round = 0; round < 2; round++) {
			long t0 = System.currentTimeMillis();
			Load.Result b = Load.run(32, 30_000, 60_000, plain(bare));
			long t1 = System.currentTimeMillis();
			Load.Result r = Load.run(32, 30_000, 60_000, tagged(resilient));
			long t2 = System.currentTimeMillis();
			this.report.line("profile round %d: bare %d..%d (%.0f calls/s), resilient %d..%d (%.0f calls/s)", round, t0,
					t1, b.throughput(), t1, t2, r.throughput());
		}
	}

	private static void fill(double[][] into, int run, Load.Result result) {
		long[] all = result.latencies(-1);
		into[0][run] = Load.percentile(all, 50);
		into[1][run] = Load.percentile(all, 99);
		into[2][run] = result.throughput();
	}

	// ---------------------------------------------------------------- (b) flaky primary

	void flaky() throws Exception {
		this.report.line("");
		this.report.line("### (b) Primary fails 30%% with HTTP 500, secondary healthy, 0 ms latency");
		this.report.line("");
		this.report.line("Retry: 3 attempts per entry, initial interval 1 ms x2 (max 10 ms), jitter, 8 in all. "
				+ "Circuit breaker threshold raised to 1,000,000 so that the retry path, not the breaker, is measured "
				+ "(with the default 5, a run of 5 failures - 0.3^5 = 0.24%% of sequences - opens it). "
				+ "Three runs, pooled.");
		this.stub.behave(PRIMARY, Behaviour.failing(0.30));
		this.stub.behave(SECONDARY, Behaviour.HEALTHY);
		OpenAiChatModel bare = bare(PRIMARY, Duration.ofSeconds(10));
		ResilientChatClient resilient = resilient(Duration.ofSeconds(10),
				new CircuitBreakerSettings(1_000_000, Duration.ofSeconds(30), Duration.ofMinutes(5)), PRIMARY,
				SECONDARY);
		this.report.table("client", "conc.", "calls", "success rate", "upstream attempts / success",
				"served by primary first try / after retry / secondary", "p50 ms", "p99 ms", "calls/s");
		for (int concurrency : CONCURRENCY) {
			int calls = (concurrency == 1) ? 2000 : 5000;
			Load.run(concurrency, 2000, 60_000, plain(bare));
			Load.run(concurrency, 2000, 60_000, tagged(resilient));
			for (int which = 0; which < 2; which++) {
				List<Load.Result> results = new ArrayList<>();
				this.stub.resetCounters();
				for (int run = 0; run < 3; run++) {
					results.add(Load.run(concurrency, calls, 120_000, (which == 0) ? plain(bare) : tagged(resilient)));
				}
				long attempts = this.stub.requests(PRIMARY) + this.stub.requests(SECONDARY);
				Load.Result pooled = pool(results);
				int ok = pooled.successes();
				String served = (which == 0) ? "-"
						: count(pooled, PRIMARY_CLEAN) + " / " + count(pooled, PRIMARY_RETRIED) + " / "
								+ (count(pooled, SECONDARY_AFTER_FAILURES) + count(pooled, SECONDARY_SKIPPED_PRIMARY));
				this.report.row((which == 0) ? "bare" : "resilient", concurrency, pooled.count(),
						Report.f("%.2f%%", 100.0 * ok / pooled.count()), Report.f("%.3f", (double) attempts / ok),
						served, Report.ms(Load.percentile(pooled.latencies(-1), 50)),
						Report.ms(Load.percentile(pooled.latencies(-1), 99)),
						Report.f("%.0f", pooled.count() / (pooled.elapsedNanos() / 1e9)));
			}
		}
	}

	private static int count(Load.Result result, int tag) {
		return result.latencies(tag).length;
	}

	private static Load.Result pool(List<Load.Result> results) {
		int n = results.stream().mapToInt(Load.Result::count).sum();
		long[] latencies = new long[n];
		boolean[] ok = new boolean[n];
		int[] tags = new int[n];
		long elapsed = 0;
		int at = 0;
		for (Load.Result result : results) {
			System.arraycopy(result.latencies(), 0, latencies, at, result.count());
			System.arraycopy(result.ok(), 0, ok, at, result.count());
			System.arraycopy(result.tags(), 0, tags, at, result.count());
			at += result.count();
			elapsed += result.elapsedNanos();
		}
		return new Load.Result(latencies, ok, tags, n, elapsed);
	}

	// ---------------------------------------------------------------- (c) primary down

	void primaryDown() throws Exception {
		this.report.line("");
		this.report.line("### (c) Primary fails 100%% with HTTP 500, secondary healthy, 0 ms latency");
		this.report.line("");
		this.report.line("Circuit: failure-threshold 5, open-duration 10 min (so it stays open for the run); retry "
				+ "as in (b). Each run starts with both circuits reset (closed); 3 runs pooled. \"Before open\" = calls "
				+ "that tried the primary (failed attempts in their metadata); \"after open\" = calls that skipped it. "
				+ "Baselines in the same scenario: a one-entry ResilientChatClient on the secondary, and the bare "
				+ "client on the secondary.");
		this.stub.behave(PRIMARY, Behaviour.failing(1.0));
		this.stub.behave(SECONDARY, Behaviour.HEALTHY);
		breakerScenario(Duration.ofSeconds(10), new int[] { 300, 6400 });
	}

	// ---------------------------------------------------------------- (d) primary hangs

	void primaryHanging() throws Exception {
		this.report.line("");
		this.report.line("### (d) Primary hangs (never answers), attempt timeout 1 s, secondary healthy, 0 ms latency");
		this.report.line("");
		this.report.line("Same chain settings as (c); the timeout applies to every attempt of both entries. Each "
				+ "run starts with circuits reset; 3 runs pooled.");
		this.stub.behave(PRIMARY, Behaviour.hanging());
		this.stub.behave(SECONDARY, Behaviour.HEALTHY);
		breakerScenario(Duration.ofSeconds(1), new int[] { 300, 6400 });
	}

	private void breakerScenario(Duration timeout, int[] callsPerRun) throws Exception {
		CircuitBreakerSettings breaker = new CircuitBreakerSettings(5, Duration.ofMinutes(10), Duration.ofMinutes(10));
		ResilientChatClient chain = resilient(timeout, breaker, PRIMARY, SECONDARY);
		ResilientChatClient secondaryOnly = resilient(timeout, breaker, SECONDARY);
		OpenAiChatModel bareSecondary = bare(SECONDARY, timeout);
		this.report.table("conc.", "calls", "calls that tried primary: n", "their p50 ms", "their max ms",
				"first call of each run ms", "after open: n", "after-open p50 ms", "after-open p99 ms",
				"secondary alone (resilient) p50 / p99 ms", "bare secondary p50 / p99 ms", "after-open minus alone, p50 µs",
				"success");
		String sequence = null;
		for (int c = 0; c < CONCURRENCY.length; c++) {
			int concurrency = CONCURRENCY[c];
			int calls = callsPerRun[c];
			// Warm the code paths (including the failing and skipping ones), then measure.
			chain.getCircuitBreakers().forEach((b) -> b.reset());
			Load.run(concurrency, 200, 60_000, tagged(chain));
			Load.run(concurrency, 2000, 60_000, tagged(secondaryOnly));
			Load.run(concurrency, 2000, 60_000, plain(bareSecondary));
			List<Load.Result> results = new ArrayList<>();
			List<Long> firsts = new ArrayList<>();
			List<Load.Result> alone = new ArrayList<>();
			List<Load.Result> bare = new ArrayList<>();
			for (int run = 0; run < 3; run++) {
				chain.getCircuitBreakers().forEach((b) -> b.reset());
				long[] first = { -1 };
				Load.Result result = Load.run(concurrency, calls, 120_000, (i) -> {
					long t0 = System.nanoTime();
					int tag = tag(chain.call(PROMPT));
					if (i == 0) {
						first[0] = System.nanoTime() - t0;
					}
					return tag;
				});
				results.add(result);
				firsts.add(first[0]);
				alone.add(Load.run(concurrency, calls, 60_000, tagged(secondaryOnly)));
				bare.add(Load.run(concurrency, calls, 60_000, plain(bareSecondary)));
			}
			Load.Result pooled = pool(results);
			long[] tried = concat(pooled.latencies(SECONDARY_AFTER_FAILURES), pooled.latencies(PRIMARY_RETRIED));
			long[] after = pooled.latencies(SECONDARY_SKIPPED_PRIMARY);
			long[] aloneAll = pool(alone).latencies(-1);
			long[] bareAll = pool(bare).latencies(-1);
			StringBuilder firstText = new StringBuilder();
			for (long first : firsts) {
				firstText.append((firstText.length() > 0) ? ", " : "").append(Report.ms(first));
			}
			this.report.row(concurrency, pooled.count(), tried.length, Report.ms(Load.percentile(tried, 50)),
					Report.ms(Load.percentile(tried, 100)), firstText, after.length,
					Report.ms(Load.percentile(after, 50)), Report.ms(Load.percentile(after, 99)),
					Report.ms(Load.percentile(aloneAll, 50)) + " / " + Report.ms(Load.percentile(aloneAll, 99)),
					Report.ms(Load.percentile(bareAll, 50)) + " / " + Report.ms(Load.percentile(bareAll, 99)),
					Report.us(Load.percentile(after, 50) - Load.percentile(aloneAll, 50)),
					pooled.successes() + "/" + pooled.count());
			if (concurrency == 1) {
				// The order of events in one run: which calls waited on the primary.
				Load.Result one = results.get(0);
				StringBuilder seq = new StringBuilder();
				for (int i = 0; i < Math.min(6, one.count()); i++) {
					seq.append((i > 0) ? ", " : "")
						.append("#")
						.append(i + 1)
						.append(" ")
						.append(Report.ms(one.latencies()[i]))
						.append(" ms (")
						.append(describe(one.tags()[i]))
						.append(")");
				}
				sequence = seq.toString();
			}
		}
		this.report.line("");
		this.report.line("Concurrency 1, run 1, first calls in order: %s.", sequence);
	}

	private static String describe(int tag) {
		return switch (tag) {
			case PRIMARY_CLEAN -> "primary";
			case PRIMARY_RETRIED -> "primary after retries";
			case SECONDARY_SKIPPED_PRIMARY -> "secondary, primary skipped";
			case SECONDARY_AFTER_FAILURES -> "secondary after primary failed";
			case CACHE -> "cache";
			default -> "failed";
		};
	}

	private static long[] concat(long[] a, long[] b) {
		long[] out = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

}

package io.github.aifallback.benchmarks;

import java.time.Duration;

import io.github.aifallback.benchmarks.StubServer.Behaviour;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.HedgeSettings;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.RetrySettings;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.HdrHistogram.Histogram;

import org.springframework.ai.chat.model.ChatResponse;

/**
 * Scenario (h), hedging: a primary that answers in 20 ms but takes 1 s on 5% of requests
 * (chosen by a seeded random) and a healthy 20 ms secondary, without hedging, hedged after a
 * fixed delay, and hedged after the primary's observed p95; latency percentiles of the calls
 * and the extra requests hedging cost.
 */
final class Hedged {

	private static final int CONCURRENCY = 8;

	private static final int CALLS = 1200;

	private static final long SEED = 42;

	private static final int HEDGED = 2;

	private static final int SECONDARY = 1;

	private Hedged() {
	}

	static void run(StubServer stub, Report report) throws Exception {
		report.line("");
		report.line("### (h) Hedging: primary 20 ms, 1 s on 5%% of requests; secondary 20 ms");
		report.line("");
		report.line("Concurrency %d, %d calls per row after a warm-up of 300; the slow requests are drawn by a "
				+ "random seeded with %d (reset per row). Hedge budget 0.1 (10%% extra requests, at least 1 hedge a "
				+ "second). Latencies pooled into one HdrHistogram (3 significant digits, ns). \"Extra requests\" = "
				+ "requests the stub received / calls - 1.", CONCURRENCY, CALLS, SEED);
		report.table("hedging", "calls", "p50 ms", "p95 ms", "p99 ms", "max ms", "extra requests", "hedged calls",
				"served by secondary", "ok");
		row(stub, report, "off", null);
		row(stub, report, "fixed 100 ms", HedgeSettings.after(Duration.ofMillis(100)));
		row(stub, report, "observed p95 (floor 25 ms)", HedgeSettings.afterObservedP95(Duration.ofMillis(25)));
	}

	private static void row(StubServer stub, Report report, String label, HedgeSettings hedge) throws Exception {
		try (ResilientChatClient client = client(stub, hedge)) {
			stub.behave(BenchmarkMain.PRIMARY, Behaviour.latency(20));
			stub.behave(BenchmarkMain.SECONDARY, Behaviour.latency(20));
			Load.run(CONCURRENCY, 300, 60_000, (i) -> tag(client.call(BenchmarkMain.PROMPT)));
			stub.behave(BenchmarkMain.PRIMARY, Behaviour.sometimesSlow(20, 0.05, 1000, SEED));
			stub.resetCounters();
			Load.Result result = Load.run(CONCURRENCY, CALLS, 120_000, (i) -> tag(client.call(BenchmarkMain.PROMPT)));
			long requests = stub.requests(BenchmarkMain.PRIMARY) + stub.requests(BenchmarkMain.SECONDARY);
			Histogram histogram = new Histogram(3);
			int hedged = 0;
			int secondary = 0;
			for (int i = 0; i < result.count(); i++) {
				histogram.recordValue(result.latencies()[i]);
				hedged += ((result.tags()[i] & HEDGED) == HEDGED) ? 1 : 0;
				secondary += ((result.tags()[i] & SECONDARY) == SECONDARY) ? 1 : 0;
			}
			report.row(label, result.count(), ms(histogram, 50), ms(histogram, 95), ms(histogram, 99),
					Report.ms(histogram.getMaxValue()),
					Report.f("%.1f%%", 100.0 * (requests - result.count()) / result.count()), hedged, secondary,
					result.successes() + "/" + result.count());
		}
	}

	private static ResilientChatClient client(StubServer stub, HedgeSettings hedge) {
		Duration timeout = Duration.ofSeconds(10);
		return ResilientChatClient.builder()
			.timeout(timeout)
			.deadline(Duration.ofSeconds(30))
			.retry(new RetrySettings(3, Duration.ofMillis(1), 2.0, Duration.ofMillis(10), true, true, 8))
			.hedgeBudget(0.1, 1)
			.entry(ChainEntry.of("primary", BenchmarkMain.PRIMARY,
					OpenAiEntryModel.create(stub.baseUrl(), "bench-key", BenchmarkMain.PRIMARY, timeout))
				.withHedge(hedge))
			.entry(ChainEntry.of("secondary", BenchmarkMain.SECONDARY,
					OpenAiEntryModel.create(stub.baseUrl(), "bench-key", BenchmarkMain.SECONDARY, timeout)))
			.build();
	}

	private static int tag(ChatResponse response) {
		boolean hedged = Boolean.TRUE.equals(response.getMetadata().get(FallbackMetadata.HEDGED));
		boolean secondary = "secondary".equals(response.getMetadata().get(FallbackMetadata.SERVED_BY));
		return (hedged ? HEDGED : 0) | (secondary ? SECONDARY : 0);
	}

	private static String ms(Histogram histogram, double percentile) {
		return Report.ms(histogram.getValueAtPercentile(percentile));
	}

}

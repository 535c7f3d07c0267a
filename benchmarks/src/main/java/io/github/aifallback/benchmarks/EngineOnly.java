package io.github.aifallback.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.lastgood.CacheLastGoodStore;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.cache.caffeine.CaffeineCache;

/**
 * The engine's own cost, without HTTP: the chain over an in-process {@link EntryModel}
 * that returns a canned response, against calling that model directly. One thread.
 */
final class EngineOnly {

	private EngineOnly() {
	}

	static void run(Report report) throws Exception {
		ChatResponse canned = new ChatResponse(
				List.of(new Generation(new AssistantMessage("A short answer, long enough to look like a real reply."),
						ChatGenerationMetadata.builder().finishReason("STOP").build())),
				ChatResponseMetadata.builder().id("chatcmpl-1").model("m").usage(new DefaultUsage(12, 14, 26)).build());
		EntryModel fixed = (prompt, timeout) -> canned;
		ResilientChatClient withStore = ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "m1", fixed))
			.entry(ChainEntry.of("secondary", "m2", fixed))
			.lastGoodStore(new CacheLastGoodStore(
					new CaffeineCache("ai-fallback", Caffeine.newBuilder().maximumSize(10_000).build()),
					Duration.ofHours(1), Clock.systemUTC()))
			.build();
		ResilientChatClient noStore = withStore.mutate().lastGoodStore(null).build();
		Duration timeout = Duration.ofSeconds(10);
		Load.Call direct = (i) -> (fixed.call(BenchmarkMain.PROMPT, timeout) != null) ? 0 : 1;
		Load.Call chain = (i) -> (withStore.call(BenchmarkMain.PROMPT) != null) ? 0 : 1;
		Load.Call chainNoStore = (i) -> (noStore.call(BenchmarkMain.PROMPT) != null) ? 0 : 1;
		int calls = 100_000;
		for (int w = 0; w < 3; w++) {
			Load.run(1, calls, 30_000, direct);
			Load.run(1, calls, 30_000, chain);
			Load.run(1, calls, 30_000, chainNoStore);
		}
		report.line("");
		report.line("### (0) Engine only, no HTTP: in-process EntryModel returning a canned response");
		report.line("");
		report.line("Concurrency 1; 3 warm-up rounds then %d runs of %,d calls each; median of the runs' figures.",
				BenchmarkMain.RUNS, calls);
		report.table("path", "p50 µs", "p99 µs", "mean µs");
		String[] names = { "EntryModel.call directly", "ResilientChatClient, last-good store (default config)",
				"ResilientChatClient, no last-good store" };
		Load.Call[] paths = { direct, chain, chainNoStore };
		for (int p = 0; p < paths.length; p++) {
			double[] p50 = new double[BenchmarkMain.RUNS];
			double[] p99 = new double[BenchmarkMain.RUNS];
			double[] mean = new double[BenchmarkMain.RUNS];
			for (int run = 0; run < BenchmarkMain.RUNS; run++) {
				Load.Result result = Load.run(1, calls, 30_000, paths[p]);
				long[] latencies = result.latencies(-1);
				p50[run] = Load.percentile(latencies, 50);
				p99[run] = Load.percentile(latencies, 99);
				mean[run] = (double) result.elapsedNanos() / result.count();
			}
			report.row(names[p], Report.us(Load.median(p50)), Report.us(Load.median(p99)), Report.us(Load.median(mean)));
		}
	}

}

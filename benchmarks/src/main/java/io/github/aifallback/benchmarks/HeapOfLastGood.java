package io.github.aifallback.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.aifallback.chat.lastgood.CacheLastGoodStore;
import io.github.aifallback.chat.lastgood.LastGoodAnswer;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.cache.caffeine.CaffeineCache;

/**
 * (e) Heap retained by 100,000 last-good answers of about 1 KB of text each, in a
 * {@link CacheLastGoodStore} over a Caffeine cache: used heap after full GCs, before and
 * after filling, repeated.
 */
final class HeapOfLastGood {

	static final int ENTRIES = 100_000;

	static final int TEXT_CHARS = 1000;

	private HeapOfLastGood() {
	}

	static void run(Report report) throws Exception {
		int repeats = 3;
		long[] retained = new long[repeats];
		MessageDigest sha = MessageDigest.getInstance("SHA-256");
		Instant now = Instant.now();
		String filler = "x".repeat(TEXT_CHARS);
		for (int r = 0; r < repeats; r++) {
			long before = usedAfterGc();
			CaffeineCache cache = new CaffeineCache("ai-fallback",
					Caffeine.newBuilder().maximumSize(ENTRIES).build());
			CacheLastGoodStore store = new CacheLastGoodStore(cache, Duration.ofHours(1), Clock.systemUTC());
			for (int i = 0; i < ENTRIES; i++) {
				// Keys as the engine makes them: a hex SHA-256 (64 chars). Texts distinct, ~1 KB.
				String key = HexFormat.of()
					.formatHex(sha.digest(("prompt " + i).getBytes(StandardCharsets.UTF_8)));
				String prefix = "answer " + i + " ";
				String text = prefix + filler.substring(prefix.length());
				ChatResponse response = new ChatResponse(
						List.of(new Generation(new AssistantMessage(text),
								ChatGenerationMetadata.builder().finishReason("STOP").build())),
						ChatResponseMetadata.builder()
							.id("chatcmpl-" + i)
							.model("primary-model")
							.usage(new DefaultUsage(12, 250, 262))
							.build());
				store.put(key, LastGoodAnswer.of(response, "primary", now));
			}
			cache.getNativeCache().cleanUp();
			long after = usedAfterGc();
			retained[r] = after - before;
			if (cache.getNativeCache().estimatedSize() != ENTRIES) {
				throw new IllegalStateException("cache holds " + cache.getNativeCache().estimatedSize());
			}
			// The cache stays reachable until here, so the measurement above saw it whole.
			cache.clear();
		}
		long[] sorted = retained.clone();
		java.util.Arrays.sort(sorted);
		long median = sorted[repeats / 2];
		report.line("");
		report.line("### (e) Heap retained by %,d last-good answers of ~1 KB text", ENTRIES);
		report.line("");
		report.line("CacheLastGoodStore over CaffeineCache(Caffeine.newBuilder().maximumSize(%,d)); key = 64-char hex "
				+ "SHA-256; each answer = LastGoodAnswer.of(a ChatResponse with one %d-char ASCII text, id, model, "
				+ "usage). Used heap (MemoryMXBean) after 3x System.gc(), before and after filling; %d repeats.",
				ENTRIES, TEXT_CHARS, repeats);
		report.table("repeat", "retained MiB", "bytes per entry");
		for (int r = 0; r < repeats; r++) {
			report.row(r + 1, Report.f("%.1f", retained[r] / 1048576.0), retained[r] / ENTRIES);
		}
		report.row("median", Report.f("%.1f", median / 1048576.0), median / ENTRIES);
	}

	private static long usedAfterGc() throws InterruptedException {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(100);
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

}

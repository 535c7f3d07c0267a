package io.github.aifallback.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.aifallback.actuate.FallbackMetricsListener;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.lastgood.CacheLastGoodStore;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.cache.caffeine.CaffeineCache;
import org.springframework.context.support.GenericApplicationContext;

/**
 * JMH microbenchmarks of the engine's hot path, without HTTP: an in-process
 * {@link EntryModel} returns a canned answer, so what is measured is the chain's own work.
 * <ul>
 * <li>{@code direct}: the entry's model called directly, the floor;</li>
 * <li>{@code success}: a call served by the first entry, every circuit closed;</li>
 * <li>{@code openPrimarySkipped}: the first entry's circuit is open, the second serves;</li>
 * <li>{@code fingerprint4k}: the last-good fingerprint of a 4 KB prompt.</li>
 * </ul>
 * {@code features}: {@code bare} is the engine alone; {@code defaults} is what the
 * auto-configuration adds (observations through a registry with Micrometer's meter handler,
 * the metrics listener, events through an application context, a Caffeine last-good store
 * weighed as the starter's) with a new prompt text for every call (so every success writes
 * a new last-good entry, as with real traffic). Run with
 * {@code java -jar benchmarks/target/benchmarks.jar jmh [JMH options]}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = { "-Xms2g", "-Xmx2g" })
public class HotPathBenchmarks {

	private static final ChatResponse CANNED = new ChatResponse(
			List.of(new Generation(new AssistantMessage("A short answer, long enough to look like a real reply."),
					ChatGenerationMetadata.builder().finishReason("STOP").build())),
			ChatResponseMetadata.builder().id("chatcmpl-1").model("m").usage(new DefaultUsage(12, 14, 26)).build());

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Param({ "bare", "defaults" })
	public String features;

	private final EntryModel model = (prompt, timeout) -> CANNED;

	private ResilientChatClient closed;

	private ResilientChatClient openPrimary;

	private GenericApplicationContext context;

	private Prompt prompt4k;

	private long sequence;

	@Setup(Level.Trial)
	public void setUp() {
		ResilientChatClient.Builder builder = ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "m1", this.model))
			.entry(ChainEntry.of("secondary", "m2", this.model));
		if ("defaults".equals(this.features)) {
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			ObservationRegistry observations = ObservationRegistry.create();
			observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
			this.context = new GenericApplicationContext();
			this.context.refresh();
			GenericApplicationContext events = this.context;
			builder.observationRegistry(observations)
				.listener(new FallbackMetricsListener(meters))
				.listener(events::publishEvent)
				.lastGoodStore(new CacheLastGoodStore(new CaffeineCache("ai-fallback", Caffeine.newBuilder()
					.expireAfterWrite(Duration.ofHours(1))
					.maximumWeight(64L * 1024 * 1024)
					.<Object, Object>weigher((key, value) -> 512)
					.build(), false), Duration.ofHours(1), Clock.systemUTC()));
		}
		this.closed = builder.build();
		this.openPrimary = builder.build();
		this.openPrimary.circuitBreaker("primary").forceOpen();
		this.prompt4k = new Prompt("Summarise the following text. " + "lorem ipsum dolor sit amet ".repeat(150));
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.closed.close();
		this.openPrimary.close();
		if (this.context != null) {
			this.context.close();
		}
	}

	private Prompt nextPrompt() {
		return new Prompt("Say hello in one short sentence. #" + (this.sequence++));
	}

	@Benchmark
	public ChatResponse direct() {
		return this.model.call(nextPrompt(), TIMEOUT);
	}

	@Benchmark
	public ChatResponse success() {
		return this.closed.call(nextPrompt());
	}

	@Benchmark
	public ChatResponse openPrimarySkipped() {
		return this.openPrimary.call(nextPrompt());
	}

	@Benchmark
	public String fingerprint4k() {
		// Through the client's API (the fingerprint and the default key resolver): the
		// benchmarks, like users, import no internal package. Only the "defaults" features
		// keep last good answers: with "bare" there is nothing to key, read the defaults row.
		return this.closed.lastGoodKey(this.prompt4k);
	}

}

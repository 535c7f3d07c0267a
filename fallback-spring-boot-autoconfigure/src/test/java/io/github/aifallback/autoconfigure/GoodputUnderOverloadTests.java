package io.github.aifallback.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import io.github.aifallback.chat.AllModelsFailedException;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.event.CallNotPermittedEvent;
import io.github.aifallback.chat.event.CircuitStateChangedEvent;
import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19, "must show": the chain must never cause its own outage. The auto-configured
 * {@link ResilientChatClient} over real HTTP, with the issue's settings and fault mix (a
 * primary failing half its requests with 503 + {@code Retry-After: 1} and hanging on 2%, two
 * healthy entries), driven by 200 platform threads with unique prompts (no last-good answer
 * to fall back on) until the two cores are saturated. Healthy providers must keep serving:
 * at least 99.9% of calls served, none outliving its deadline, and no call refused outright
 * (failed without a single attempt) whatever the circuits say.
 * <p>
 * A load test on real time (the machine's own overload is the fault under test); the
 * upstream's faults come from a fixed seed, every loop is bounded, and the time bounds carry
 * generous slack. Tagged {@code load}: it runs in {@code ./mvnw verify}, and
 * {@code -Dgroups=load} runs it alone.
 */
@Tag("load")
class GoodputUnderOverloadTests {

	/** Callers; {@code -Dgoodput.callers=N} to experiment (CI runs the default). */
	private static final int CALLERS = Integer.getInteger("goodput.callers", 200);

	/** How long the callers call; {@code -Dgoodput.seconds=N} to experiment. */
	private static final Duration LOAD = Duration.ofSeconds(Long.getLong("goodput.seconds", 30));

	private static final Duration DEADLINE = Duration.ofSeconds(15);

	/** Past its deadline by more than this, a call counts as lost. */
	private static final Duration SLACK = Duration.ofSeconds(3);

	private static final List<String> HEALTHY = List.of("secondary", "third");

	@Test
	@Timeout(180)
	void whenTwoHundredCallersSaturateTheMachineThenHealthyEntriesKeepServing() {
		try (FaultMixUpstream upstream = new FaultMixUpstream("primary-model", 0.50, 0.02, 5_000, 30, 19)) {
			Recorder recorder = new Recorder();
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
				.withBean(ResilientChatClientCustomizer.class, () -> (builder) -> builder.listener(recorder))
				.withPropertyValues("spring.ai.openai.base-url=" + upstream.baseUrl(),
						"spring.ai.openai.api-key=goodput-key", "ai.fallback.chain[0].model=primary-model",
						"ai.fallback.chain[0].name=primary", "ai.fallback.chain[1].model=secondary-model",
						"ai.fallback.chain[1].name=secondary", "ai.fallback.chain[2].model=third-model",
						"ai.fallback.chain[2].name=third", "ai.fallback.timeout=1s", "ai.fallback.deadline=15s",
						"ai.fallback.retry.max-attempts=3", "ai.fallback.circuit-breaker.failure-threshold=5",
						"ai.fallback.circuit-breaker.open-duration=30s")
				.run((context) -> {
					ResilientChatClient client = context.getBean(ResilientChatClient.class);
					recorder.client.set(client);
					warmUp(upstream);
					Outcomes outcomes = drive(client, recorder);
					String summary = outcomes.summary(recorder, upstream);
					System.out.println("Goodput under overload: " + summary);

					assertThat(outcomes.calls()).as(summary).isGreaterThan(CALLERS);
					assertThat(outcomes.lost).as("calls past deadline + slack; " + summary).isZero();
					// Refused = failed without a single request: with every circuit open, panic
					// mode still sends each call to the entry most likely to answer.
					assertThat(outcomes.refusedWithoutAttempt.sum())
						.as("calls refused without any attempt; " + summary)
						.isZero();
					assertThat(outcomes.servedShare()).as("served share; " + summary).isGreaterThanOrEqualTo(0.999);
				});
		}
	}

	/**
	 * A few calls outside the chain (its circuits untouched), as an application that has
	 * served its first request: the JVM's first request loads the SDK, Spring AI and OkHttp
	 * classes, and 200 threads waiting on that class initialisation at once stall for many
	 * seconds in a way no deadline can bound. The JIT stays cold: the overload is still there.
	 */
	private static void warmUp(FaultMixUpstream upstream) {
		OpenAiEntryModel model = OpenAiEntryModel.create(upstream.baseUrl(), "warm-up-key", "warm-up-model",
				Duration.ofSeconds(30));
		for (int i = 0; i < 3; i++) {
			model.call(new Prompt("warm up #" + i), Duration.ofSeconds(30));
		}
	}

	private static Outcomes drive(ResilientChatClient client, Recorder recorder) throws InterruptedException {
		Outcomes outcomes = new Outcomes();
		AtomicLong sequence = new AtomicLong();
		long start = System.nanoTime();
		long loadEnd = start + LOAD.toNanos();
		long bound = DEADLINE.plus(SLACK).toNanos();
		Sampler sampler = new Sampler(client);
		sampler.start();
		List<Thread> callers = new ArrayList<>();
		for (int i = 0; i < CALLERS; i++) {
			Thread caller = new Thread(() -> {
				while (System.nanoTime() < loadEnd) {
					long t0 = System.nanoTime();
					try {
						ChatResponse response = client
							.call(new Prompt("Goodput call #" + sequence.incrementAndGet() + ", say hello."));
						String servedBy = response.getMetadata().get(FallbackMetadata.SERVED_BY);
						outcomes.servedBy.computeIfAbsent(String.valueOf(servedBy), (k) -> new LongAdder()).increment();
					}
					catch (AllModelsFailedException ex) {
						outcomes.failed.increment();
						if (ex.getAttempts().isEmpty()) {
							outcomes.refusedWithoutAttempt.increment();
						}
						outcomes.reasons.computeIfAbsent(reason(ex), (k) -> new LongAdder()).increment();
						if (refusing(client)) {
							outcomes.refusedWhileAllOpen.increment();
						}
					}
					catch (RuntimeException ex) {
						outcomes.failed.increment();
						outcomes.otherErrors.increment();
					}
					long took = System.nanoTime() - t0;
					outcomes.record(took, took > bound);
				}
			}, "goodput-caller-" + i);
			caller.setDaemon(true);
			callers.add(caller);
			caller.start();
		}
		long joinBy = loadEnd + bound;
		for (Thread caller : callers) {
			caller.join(Math.max(1, (joinBy - System.nanoTime()) / 1_000_000));
		}
		for (Thread caller : callers) {
			if (caller.isAlive()) {
				outcomes.lost++;
				caller.interrupt();
			}
		}
		sampler.interrupt();
		sampler.join(5_000);
		outcomes.allOpenMillis = sampler.allOpenMillis;
		outcomes.elapsedNanos = System.nanoTime() - start;
		return outcomes;
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

	/**
	 * Whether no entry would admit a call now: every circuit open, forced open, or half-open
	 * with its permits taken (what {@link CircuitBreaker#isAvailable()} says).
	 */
	static boolean refusing(ResilientChatClient client) {
		for (CircuitBreaker breaker : client.getCircuitBreakers()) {
			if (breaker.isAvailable()) {
				return false;
			}
		}
		return true;
	}

	/** The chain's events: openings per entry, and healthy entries skipped while all were open. */
	static final class Recorder implements io.github.aifallback.chat.event.FallbackEventListener {

		final AtomicReference<ResilientChatClient> client = new AtomicReference<>();

		final Map<String, LongAdder> openings = new ConcurrentHashMap<>();

		final LongAdder notPermitted = new LongAdder();

		final LongAdder healthyRefusedWhileAllOpen = new LongAdder();

		@Override
		public void onEvent(FallbackEvent event) {
			if (event instanceof CircuitStateChangedEvent changed && changed.to().name().equals("OPEN")) {
				this.openings.computeIfAbsent(changed.entry(), (k) -> new LongAdder()).increment();
			}
			if (event instanceof CallNotPermittedEvent refused) {
				this.notPermitted.increment();
				ResilientChatClient chain = this.client.get();
				if (HEALTHY.contains(refused.entry()) && chain != null && refusing(chain)) {
					this.healthyRefusedWhileAllOpen.increment();
				}
			}
		}

	}

	/** Samples the circuits every 100 ms: how long every one of them was open. */
	static final class Sampler extends Thread {

		private final ResilientChatClient client;

		volatile long allOpenMillis;

		Sampler(ResilientChatClient client) {
			super("goodput-sampler");
			setDaemon(true);
			this.client = client;
		}

		@Override
		public void run() {
			while (!isInterrupted()) {
				if (allOpen(this.client)) {
					this.allOpenMillis += 100;
				}
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

	}

	/** What the callers saw. */
	/** "All models failed (REASON); ..." without the attempts, which differ by call. */
	private static String reason(AllModelsFailedException ex) {
		String message = String.valueOf(ex.getMessage());
		int open = message.indexOf('(');
		int close = message.indexOf(')', open + 1);
		String reason = (open >= 0 && close > open) ? message.substring(open + 1, close) : message;
		return reason.replaceAll("[0-9]+", "N");
	}

	static final class Outcomes {

		final Map<String, LongAdder> servedBy = new ConcurrentHashMap<>();

		final LongAdder failed = new LongAdder();

		final LongAdder otherErrors = new LongAdder();

		final LongAdder refusedWhileAllOpen = new LongAdder();

		/** Calls refused outright: failed without a single attempt on any entry. */
		final LongAdder refusedWithoutAttempt = new LongAdder();

		/** Why calls failed: the reason of each AllModelsFailedException, counted. */
		final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();

		private final List<Long> durations = new ArrayList<>();

		private long overBound;

		int lost;

		long allOpenMillis;

		long elapsedNanos;

		synchronized void record(long nanos, boolean pastBound) {
			this.durations.add(nanos);
			if (pastBound) {
				this.overBound++;
				this.lost++;
			}
		}

		synchronized long calls() {
			return this.durations.size();
		}

		double servedShare() {
			long served = this.servedBy.values().stream().mapToLong(LongAdder::sum).sum();
			long calls = calls();
			return (calls == 0) ? 0 : (double) served / calls;
		}

		synchronized String summary(Recorder recorder, FaultMixUpstream upstream) {
			long[] sorted = this.durations.stream().mapToLong(Long::longValue).toArray();
			Arrays.sort(sorted);
			return String.format(Locale.ROOT,
					"%d calls in %.1f s, served %.3f%% (by %s), failed %d (other errors %d, while every circuit refused %d), "
							+ "lost %d (past deadline+slack %d), p50 %.0f ms, p99 %.0f ms, max %.0f ms, all circuits "
							+ "open %.1f s, openings %s, not permitted %d (healthy while every circuit refused %d), requests "
							+ "primary/secondary/third %d/%d/%d, refused without attempt %d, failure reasons %s",
					sorted.length, this.elapsedNanos / 1e9, 100 * servedShare(), this.servedBy, this.failed.sum(),
					this.otherErrors.sum(), this.refusedWhileAllOpen.sum(), this.lost, this.overBound,
					percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6, percentile(sorted, 100) / 1e6,
					this.allOpenMillis / 1e3, recorder.openings, recorder.notPermitted.sum(),
					recorder.healthyRefusedWhileAllOpen.sum(), upstream.requests("primary-model"),
					upstream.requests("secondary-model"), upstream.requests("third-model"),
					this.refusedWithoutAttempt.sum(), this.reasons);
		}

		private static long percentile(long[] sorted, double p) {
			if (sorted.length == 0) {
				return 0;
			}
			int rank = (int) Math.ceil(p / 100.0 * sorted.length);
			return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
		}

	}

}

package io.github.aifallback.chat.lastgood.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.aifallback.chat.CapturedLogs;
import io.github.aifallback.chat.MutableClock;
import io.github.aifallback.chat.lastgood.CacheLastGoodStore;
import io.github.aifallback.chat.lastgood.CaffeineLastGoodCache;
import io.github.aifallback.chat.lastgood.LastGoodAnswer;
import io.github.aifallback.chat.lastgood.LastGoodStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.cache.caffeine.CaffeineCache;
import org.springframework.cache.concurrent.ConcurrentMapCache;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guard every last-good store gets: its own breaker, a bounded write queue, reads
 * bounded in time, writes readable before they land, and warnings at most once a minute.
 * Time is a {@link MutableClock}; pools are replaced by executors the test controls.
 */
@ExtendWith(CapturedLogs.class)
class GuardedLastGoodStoreTests {

	private static final Executor DIRECT = Runnable::run;

	private static final Executor REJECTING = (task) -> {
		throw new RejectedExecutionException("full");
	};

	private final MutableClock clock = new MutableClock();

	private final FailingStore failing = new FailingStore();

	/** The guard over a store of the given in-memory cache, with these pools. */
	private GuardedLastGoodStore inMemory(ConcurrentMapCache cache, Executor readers, Executor writers) {
		return new GuardedLastGoodStore(new CacheLastGoodStore(cache, Duration.ofHours(1), this.clock), this.clock,
				readers, writers);
	}

	private static LastGoodAnswer answer() {
		return answer("an answer");
	}

	private static LastGoodAnswer answer(String text) {
		return new LastGoodAnswer(List.of(new LastGoodAnswer.StoredGeneration(text, "stop")), null, null, null, null,
				null, "primary", Instant.parse("2026-01-01T00:00:00Z"));
	}

	@Test
	void whenTheStoreFailsThreeTimesInARowThenItIsSkippedForThirtySecondsThenTriedAgain() {
		GuardedLastGoodStore store = new GuardedLastGoodStore(this.failing, this.clock, DIRECT, DIRECT);
		for (int i = 0; i < StoreBreaker.FAILURE_THRESHOLD; i++) {
			assertThat(store.get("k", Duration.ofSeconds(1))).isNull();
		}
		assertThat(this.failing.calls).hasValue(3);

		assertThat(store.get("k", Duration.ofSeconds(1))).isNull();
		store.put("k", answer());
		assertThat(this.failing.calls).as("skipped while open").hasValue(3);
		assertThat(store.isSkipped()).isTrue();
		assertThat(store.droppedWrites()).isEqualTo(1);

		this.clock.advance(StoreBreaker.OPEN_DURATION);
		store.get("k", Duration.ofSeconds(1));
		assertThat(this.failing.calls).as("tried again after 30 s").hasValue(4);
		assertThat(store.isSkipped()).as("one more failure skips it again").isTrue();
	}

	@Test
	void whenTheStoreRecoversThenASuccessClosesItsBreaker() {
		GuardedLastGoodStore store = new GuardedLastGoodStore(this.failing, this.clock, DIRECT, DIRECT);
		for (int i = 0; i < StoreBreaker.FAILURE_THRESHOLD; i++) {
			store.get("k", Duration.ofSeconds(1));
		}
		this.failing.broken = false;
		this.clock.advance(StoreBreaker.OPEN_DURATION);

		store.put("k", answer());

		assertThat(store.isSkipped()).isFalse();
		assertThat(store.get("k", Duration.ofSeconds(1))).isNotNull();
	}

	@Test
	void whenTheWriteQueueIsFullThenTheWriteIsDroppedAndCounted() {
		this.failing.broken = false;
		GuardedLastGoodStore store = new GuardedLastGoodStore(this.failing, this.clock, DIRECT, REJECTING);

		store.put("k", answer());
		store.put("k", answer());

		assertThat(store.droppedWrites()).isEqualTo(2);
		assertThat(this.failing.calls).hasValue(0);
		assertThat(store.get("k", Duration.ofSeconds(1))).as("nothing half-written stays readable").isNull();
	}

	@Test
	void whenAWriteIsStillQueuedThenAReadOfItsKeyFindsItWithoutAskingTheStore() {
		this.failing.broken = false;
		List<Runnable> queued = new ArrayList<>();
		GuardedLastGoodStore store = new GuardedLastGoodStore(this.failing, this.clock, DIRECT, queued::add);

		store.put("k", answer());

		assertThat(store.get("k", Duration.ofSeconds(1))).isNotNull();
		assertThat(this.failing.calls).hasValue(0);
		queued.forEach(Runnable::run);
		assertThat(this.failing.calls).hasValue(1);
		assertThat(store.get("k", Duration.ofSeconds(1))).isNotNull();
		assertThat(this.failing.calls).as("read from the store once written").hasValue(2);
	}

	@Test
	void whenAReadGetsNoAnswerInTimeThenItIsAMissAndCountsAsAFailure() {
		this.failing.broken = false;
		Executor never = (task) -> {
		};
		GuardedLastGoodStore store = new GuardedLastGoodStore(this.failing, this.clock, never, DIRECT);

		for (int i = 0; i < StoreBreaker.FAILURE_THRESHOLD; i++) {
			assertThat(store.get("k", Duration.ZERO)).isNull();
		}

		assertThat(store.isSkipped()).isTrue();
	}

	@Test
	void whenTheCacheIsInMemoryThenItIsReadOnTheCallingThreadAndWrittenInBatchesOfOneTask() {
		Executor forbidden = (task) -> {
			throw new AssertionError("no thread hop for a read of an in-memory cache");
		};
		List<Runnable> queued = new ArrayList<>();
		ConcurrentMapCache cache = new ConcurrentMapCache("c");
		GuardedLastGoodStore store = inMemory(cache, forbidden, queued::add);

		store.put("a", answer("A"));
		store.put("b", answer("B"));
		store.put("c", answer("C"));

		assertThat(queued).as("one task for the batch, not one per answer").hasSize(1);
		assertThat(cache.getNativeCache()).as("nothing written on the caller").isEmpty();
		assertThat(store.get("b", Duration.ZERO).generations().get(0).text()).as("queued answers are served")
			.isEqualTo("B");
		queued.get(0).run();
		assertThat(cache.getNativeCache()).containsOnlyKeys("a", "b", "c");
		assertThat(store.get("c", Duration.ZERO).generations().get(0).text()).isEqualTo("C");

		store.put("d", answer("D"));
		assertThat(queued).as("the next answer starts the next batch").hasSize(2);
		queued.get(1).run();
		assertThat(cache.getNativeCache()).containsKey("d");
		assertThat(store.droppedWrites()).isZero();
	}

	@Test
	void whenTheOnlyCallRunningKeepsAnAnswerInAnInMemoryCacheThenItWritesItItselfWithoutAHop() {
		Executor forbidden = (task) -> {
			throw new AssertionError("no thread hop for the only call running");
		};
		ConcurrentMapCache cache = new ConcurrentMapCache("c");
		GuardedLastGoodStore store = inMemory(cache, forbidden, forbidden);

		store.put("k", answer("A"), false);

		assertThat(cache.getNativeCache()).containsOnlyKeys("k");
	}

	@Test
	void whenAnswersAreStillQueuedThenTheOnlyCallRunningQueuesItsOwnBehindThem() {
		List<Runnable> queued = new ArrayList<>();
		ConcurrentMapCache cache = new ConcurrentMapCache("c");
		GuardedLastGoodStore store = inMemory(cache, DIRECT, queued::add);

		store.put("k", answer("older"), true);
		store.put("k", answer("newer"), false);

		assertThat(cache.getNativeCache()).as("not written ahead of the queued older answer").isEmpty();
		queued.forEach(Runnable::run);
		assertThat(((LastGoodAnswer) cache.getNativeCache().get("k")).generations().get(0).text()).isEqualTo("newer");
		store.put("l", answer("alone"), false);
		assertThat(cache.getNativeCache()).as("with the queue empty, written at once").containsKey("l");
		assertThat(queued).hasSize(1);
	}

	@Test
	void whenAKeyIsAnsweredAgainWhileItsBatchIsWrittenThenTheNewerAnswerIsWrittenLast() {
		List<Runnable> queued = new ArrayList<>();
		AtomicReference<GuardedLastGoodStore> self = new AtomicReference<>();
		ConcurrentHashMap<Object, Object> map = new ConcurrentHashMap<>() {

			@Override
			public Object put(Object key, Object value) {
				Object previous = super.put(key, value);
				if (((LastGoodAnswer) value).generations().get(0).text().equals("older")) {
					// Another caller's success of the same request, while the batch is written.
					self.get().put("k", answer("newer"));
				}
				return previous;
			}

		};
		ConcurrentMapCache cache = new ConcurrentMapCache("c", map, false);
		GuardedLastGoodStore store = inMemory(cache, DIRECT, queued::add);
		self.set(store);

		store.put("k", answer("older"));
		queued.get(0).run();

		assertThat(queued).as("the newer answer queued a batch of its own").hasSize(2);
		queued.get(1).run();
		assertThat(((LastGoodAnswer) map.get("k")).generations().get(0).text()).isEqualTo("newer");
		assertThat(store.get("k", Duration.ZERO).generations().get(0).text()).isEqualTo("newer");
	}

	@Test
	void whenMoreAnswersAreQueuedThanTheQueueHoldsThenTheCallerWritesThem() {
		List<Runnable> neverRun = new ArrayList<>();
		ConcurrentMapCache cache = new ConcurrentMapCache("c");
		GuardedLastGoodStore store = inMemory(cache, DIRECT, neverRun::add);

		for (int i = 0; i <= GuardedLastGoodStore.WRITE_QUEUE; i++) {
			store.put("k" + i, answer("A" + i));
		}

		assertThat(cache.getNativeCache()).hasSize(GuardedLastGoodStore.WRITE_QUEUE + 1);
		assertThat(neverRun).hasSize(1);
		assertThat(store.droppedWrites()).isZero();
	}

	@Test
	void whenThePoolRefusesAnInMemoryBatchThenTheCallerWritesIt() {
		ConcurrentMapCache cache = new ConcurrentMapCache("c");
		GuardedLastGoodStore store = inMemory(cache, DIRECT, REJECTING);

		store.put("k", answer("A"));
		store.put("l", answer("B"));

		assertThat(cache.getNativeCache()).containsOnlyKeys("k", "l");
		assertThat(store.droppedWrites()).isZero();
	}

	@Test
	void whenTheStoreIsClosedThenTheAnswersOfItsBatchAreWritten() {
		List<Runnable> neverRun = new ArrayList<>();
		ConcurrentMapCache cache = new ConcurrentMapCache("c");
		GuardedLastGoodStore store = inMemory(cache, DIRECT, neverRun::add);
		store.put("k", answer("A"));

		store.close();

		assertThat(cache.getNativeCache()).containsOnlyKeys("k");
	}

	@Test
	void whenTheStartersCaffeineCacheIsGuardedWithItsOwnPoolsThenEveryAnswerLandsInIt() throws Exception {
		CaffeineCache cache = CaffeineLastGoodCache.create("c", Duration.ofHours(1), 10_000, 64L << 20);
		try (GuardedLastGoodStore store = GuardedLastGoodStore
			.guard(new CacheLastGoodStore(cache, Duration.ofHours(1), this.clock))) {
			ExecutorService callers = Executors.newFixedThreadPool(4);
			try {
				List<Future<?>> done = new ArrayList<>();
				for (int t = 0; t < 4; t++) {
					int thread = t;
					done.add(callers.submit(() -> {
						for (int i = 0; i < 500; i++) {
							store.put(thread + ":" + i, answer("A" + i));
							assertThat(store.get(thread + ":" + i, Duration.ZERO)).isNotNull();
						}
					}));
				}
				for (Future<?> future : done) {
					future.get(30, TimeUnit.SECONDS);
				}
			}
			finally {
				callers.shutdownNow();
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (cache.getNativeCache().estimatedSize() < 2_000 && System.nanoTime() < deadline) {
				java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
			assertThat(cache.getNativeCache().estimatedSize()).as("written by the store's own pool").isEqualTo(2_000);
			assertThat(store.droppedWrites()).isZero();
		}
	}

	@Test
	void whenTheStoreKeepsFailingThenItWarnsAtMostOnceAMinute(CapturedLogs output) {
		GuardedLastGoodStore store = new GuardedLastGoodStore(this.failing, this.clock, DIRECT, DIRECT);
		for (int round = 0; round < 4; round++) {
			for (int i = 0; i < StoreBreaker.FAILURE_THRESHOLD; i++) {
				store.get("k", Duration.ofSeconds(1));
			}
			this.clock.advance(StoreBreaker.OPEN_DURATION);
		}

		assertThat(this.failing.calls).as("reopened at each round").hasValueGreaterThanOrEqualTo(4);
		assertThat(output.toString().split("skipping it for", -1)).as("two minutes, two warnings").hasSize(3);
	}

	@Test
	void whenAnAnswerIsPrintedThenItsTextIsNot() {
		LastGoodAnswer answer = new LastGoodAnswer(
				List.of(new LastGoodAnswer.StoredGeneration("the patient's diagnosis", "stop")), "chatcmpl-1", "m", 1,
				2, 3, "primary", Instant.parse("2026-01-01T00:00:00Z"));

		assertThat(answer.toString()).doesNotContain("diagnosis").contains("characters=23", "servedBy=primary");
		assertThat(answer.generations().get(0).toString()).doesNotContain("diagnosis");
	}

	/** A store whose backend is down, or, once mended, a plain map. */
	static final class FailingStore implements LastGoodStore {

		final AtomicInteger calls = new AtomicInteger();

		volatile boolean broken = true;

		private final ConcurrentMapCache cache = new ConcurrentMapCache("mended");

		@Override
		public LastGoodAnswer get(String key) {
			this.calls.incrementAndGet();
			if (this.broken) {
				throw new IllegalStateException("connection refused");
			}
			return this.cache.get(key, LastGoodAnswer.class);
		}

		@Override
		public void put(String key, LastGoodAnswer answer) {
			this.calls.incrementAndGet();
			if (this.broken) {
				throw new IllegalStateException("connection refused");
			}
			this.cache.put(key, answer);
		}

	}

}

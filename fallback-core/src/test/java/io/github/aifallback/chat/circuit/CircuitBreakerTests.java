package io.github.aifallback.chat.circuit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.MutableClock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The circuit breaker's state machine, with an injectable clock, and its behaviour under
 * 32 threads.
 */
class CircuitBreakerTests {

	private static final Failure SERVER_ERROR = new Failure(FailureKind.SERVER_ERROR, 500, null);

	private final MutableClock clock = new MutableClock();

	private final List<CircuitTransition> events = new ArrayList<>();

	private final CircuitBreaker breaker = new CircuitBreaker("primary",
			new CircuitBreakerSettings(3, Duration.ofSeconds(30), Duration.ofMinutes(2)), this.clock, this.events::add);

	private void fail(int times) {
		for (int i = 0; i < times; i++) {
			this.breaker.recordFailure(SERVER_ERROR, CircuitBreaker.NOT_A_PROBE);
		}
	}

	@Test
	void whenFailuresReachTheThresholdThenTheCircuitOpensOnce() {
		fail(2);
		assertThat(this.breaker.state()).isEqualTo(CircuitState.CLOSED);

		fail(3);

		assertThat(this.breaker.state()).isEqualTo(CircuitState.OPEN);
		assertThat(this.events).extracting(CircuitTransition::to).containsExactly(CircuitState.OPEN);
		assertThat(this.breaker.snapshot().openUntil()).isEqualTo(this.clock.instant().plusSeconds(30));
	}

	@Test
	void whenASuccessComesBetweenFailuresThenTheCountStartsAgain() {
		fail(2);
		this.breaker.recordSuccess(CircuitBreaker.NOT_A_PROBE);
		fail(2);

		assertThat(this.breaker.state()).isEqualTo(CircuitState.CLOSED);
		assertThat(this.breaker.snapshot().consecutiveFailures()).isEqualTo(2);
	}

	@Test
	void whenFailuresAreAboutTheRequestThenTheCircuitStaysClosed() {
		for (int i = 0; i < 10; i++) {
			this.breaker.recordFailure(Failure.of(FailureKind.BAD_REQUEST), CircuitBreaker.NOT_A_PROBE);
			this.breaker.recordFailure(Failure.of(FailureKind.CONTEXT_TOO_LONG), CircuitBreaker.NOT_A_PROBE);
		}

		assertThat(this.breaker.state()).isEqualTo(CircuitState.CLOSED);
		assertThat(this.breaker.snapshot().failures()).isEqualTo(20);
		assertThat(this.breaker.snapshot().lastFailureKind()).isEqualTo(FailureKind.CONTEXT_TOO_LONG);
	}

	@Test
	void whileOpenThenNoCallIsGrantedUntilTheOpenPeriodEnds() {
		fail(3);
		this.clock.advance(Duration.ofSeconds(29));
		assertThat(this.breaker.acquire()).isEqualTo(CircuitBreaker.DENIED);

		this.clock.advance(Duration.ofSeconds(1));

		assertThat(this.breaker.acquire()).as("the probe").isPositive();
		assertThat(this.breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
		assertThat(this.breaker.acquire()).as("a second probe while the first is out").isEqualTo(CircuitBreaker.DENIED);
	}

	@Test
	void whenTheProbeSucceedsThenTheCircuitClosesAndTheOpenPeriodResets() {
		fail(3);
		this.clock.advance(Duration.ofSeconds(30));
		long probe = this.breaker.acquire();

		this.breaker.recordSuccess(probe);

		assertThat(this.breaker.state()).isEqualTo(CircuitState.CLOSED);
		fail(3);
		assertThat(this.breaker.snapshot().openUntil()).isEqualTo(this.clock.instant().plusSeconds(30));
		assertThat(this.events).extracting(CircuitTransition::to)
			.containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.CLOSED, CircuitState.OPEN);
	}

	@Test
	void whenProbesFailThenEachOpenPeriodDoublesUpToTheMaximum() {
		fail(3);
		List<Duration> periods = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Instant openUntil = this.breaker.snapshot().openUntil();
			this.clock.advance(Duration.between(this.clock.instant(), openUntil));
			long probe = this.breaker.acquire();
			assertThat(probe).isPositive();
			this.breaker.recordFailure(SERVER_ERROR, probe);
			periods.add(Duration.between(this.clock.instant(), this.breaker.snapshot().openUntil()));
		}

		assertThat(periods).containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(120),
				Duration.ofSeconds(120));
	}

	@Test
	void whenTheProbeFailsForARequestReasonThenAnotherProbeMayGo() {
		fail(3);
		this.clock.advance(Duration.ofSeconds(30));
		long probe = this.breaker.acquire();

		this.breaker.recordFailure(Failure.of(FailureKind.BAD_REQUEST), probe);

		assertThat(this.breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
		assertThat(this.breaker.acquire()).isPositive();
	}

	@Test
	void whenRetryAfterIsLongerThanTheOpenDurationThenTheCircuitStaysOpenThatLong() {
		fail(2);

		this.breaker.recordFailure(new Failure(FailureKind.RATE_LIMITED, 429, Duration.ofSeconds(90)),
				CircuitBreaker.NOT_A_PROBE);

		assertThat(this.breaker.snapshot().openUntil()).isEqualTo(this.clock.instant().plus(Duration.ofSeconds(90)));
	}

	@Test
	void whenRetryAfterIsLongerThanMaxOpenDurationThenTheCircuitOpensOnlyForTheMaximum() {
		fail(2);

		this.breaker.recordFailure(new Failure(FailureKind.RATE_LIMITED, 429, Duration.ofSeconds(315_360_000)),
				CircuitBreaker.NOT_A_PROBE);

		assertThat(this.breaker.snapshot().openUntil()).isEqualTo(this.clock.instant().plus(Duration.ofMinutes(2)));
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(this.breaker.acquire()).as("the probe, after max-open-duration").isPositive();
	}

	@Test
	void whenAnOlderCallFailsLateThenItNeitherReleasesTheProbeNorDoublesTheOpenPeriod() {
		long older = this.breaker.acquire();
		fail(3);
		this.clock.advance(Duration.ofSeconds(30));
		long probe = this.breaker.acquire();
		assertThat(probe).isPositive();

		this.breaker.recordFailure(SERVER_ERROR, older);

		assertThat(this.breaker.state()).as("the late failure changes nothing").isEqualTo(CircuitState.HALF_OPEN);
		assertThat(this.breaker.acquire()).as("the probe is still out").isEqualTo(CircuitBreaker.DENIED);
		this.breaker.recordSuccess(older);
		assertThat(this.breaker.state()).as("nor does a late success").isEqualTo(CircuitState.HALF_OPEN);
		this.breaker.release(older);
		assertThat(this.breaker.acquire()).as("nor a late release").isEqualTo(CircuitBreaker.DENIED);

		this.breaker.recordFailure(SERVER_ERROR, probe);

		assertThat(this.breaker.snapshot().openUntil()).as("doubled once, by the probe")
			.isEqualTo(this.clock.instant().plusSeconds(60));
	}

	@Test
	void whenAProbeOfAnEarlierHalfOpenPeriodReportsLateThenTheCurrentProbeKeepsItsPermit() {
		fail(3);
		this.clock.advance(Duration.ofSeconds(30));
		long first = this.breaker.acquire();
		this.breaker.forceOpen();
		this.breaker.reset();
		fail(3);
		this.clock.advance(Duration.ofSeconds(30));
		long second = this.breaker.acquire();

		this.breaker.recordFailure(SERVER_ERROR, first);

		assertThat(second).isPositive().isNotEqualTo(first);
		assertThat(this.breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
		this.breaker.recordSuccess(second);
		assertThat(this.breaker.state()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void whenForcedOpenThenItNeverHalfOpensUntilReset() {
		this.breaker.forceOpen();
		this.clock.advance(Duration.ofDays(1));

		assertThat(this.breaker.acquire()).isEqualTo(CircuitBreaker.DENIED);
		this.breaker.recordSuccess(CircuitBreaker.NOT_A_PROBE);
		assertThat(this.breaker.state()).isEqualTo(CircuitState.FORCED_OPEN);

		this.breaker.reset();

		assertThat(this.breaker.acquire()).isEqualTo(CircuitBreaker.NOT_A_PROBE);
		assertThat(this.breaker.snapshot()).satisfies((snapshot) -> {
			assertThat(snapshot.state()).isEqualTo(CircuitState.CLOSED);
			assertThat(snapshot.successes()).isZero();
			assertThat(snapshot.failures()).isZero();
		});
	}

	@Test
	void whenThirtyTwoThreadsRecordOneHundredThousandOutcomesThenNoCountIsLostAndEachChangeHappensOnce()
			throws InterruptedException {
		Clock ticking = MutableClock.ticking(Duration.ofNanos(10_000));
		List<CircuitTransition> changes = Collections.synchronizedList(new ArrayList<>());
		CircuitBreaker shared = new CircuitBreaker("shared",
				new CircuitBreakerSettings(5, Duration.ofMillis(2), Duration.ofMillis(8)), ticking, changes::add);
		int total = 100_000;
		AtomicInteger recorded = new AtomicInteger();
		AtomicInteger successes = new AtomicInteger();
		AtomicInteger failures = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(32);
		CountDownLatch start = new CountDownLatch(1);
		for (int t = 0; t < 32; t++) {
			pool.execute(() -> {
				await(start);
				while (recorded.get() < total) {
					long permit = shared.acquire();
					if (permit == CircuitBreaker.DENIED) {
						continue;
					}
					if (recorded.getAndIncrement() >= total) {
						shared.recordSuccess(permit);
						successes.incrementAndGet();
						continue;
					}
					if (ThreadLocalRandom.current().nextInt(100) < 60) {
						shared.recordFailure(SERVER_ERROR, permit);
						failures.incrementAndGet();
					}
					else {
						shared.recordSuccess(permit);
						successes.incrementAndGet();
					}
				}
			});
		}
		start.countDown();
		pool.shutdown();
		assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

		CircuitSnapshot snapshot = shared.snapshot();
		assertThat(snapshot.successes() + snapshot.failures()).isEqualTo(successes.get() + failures.get());
		assertThat(snapshot.successes()).isEqualTo(successes.get());
		assertThat(snapshot.failures()).isEqualTo(failures.get());
		assertThat(changes).isNotEmpty().allSatisfy((change) -> assertThat(change.from()).isNotEqualTo(change.to()));
		Map<CircuitState, Integer> balance = new EnumMap<>(CircuitState.class);
		for (CircuitTransition change : changes) {
			balance.merge(change.to(), 1, Integer::sum);
			balance.merge(change.from(), -1, Integer::sum);
		}
		balance.merge(CircuitState.CLOSED, 1, Integer::sum);
		balance.merge(snapshot.state(), -1, Integer::sum);
		assertThat(balance.values()).as("every state entered is left once, but the last").allMatch((n) -> n == 0);
		assertThat(changes).extracting(CircuitTransition::to).contains(CircuitState.OPEN,
				CircuitState.HALF_OPEN, CircuitState.CLOSED);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

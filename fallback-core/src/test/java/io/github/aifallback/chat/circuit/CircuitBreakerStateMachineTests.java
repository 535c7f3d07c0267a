package io.github.aifallback.chat.circuit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.MutableClock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every transition of the failure state machine of issue 19, on an injectable clock: the
 * sliding window (count- and time-based), the minimum number of calls, slow calls, half-open
 * permits, slow start, explicit versus inferred evidence, growth of the open period, and a
 * {@code Retry-After} as a skip-until.
 */
class CircuitBreakerStateMachineTests {

	private static final Failure SERVER_ERROR = new Failure(FailureKind.SERVER_ERROR, 500, null);

	private static final Failure TIMEOUT = new Failure(FailureKind.TIMEOUT, 0, null);

	private static final Duration FAST = Duration.ofMillis(30);

	private final MutableClock clock = new MutableClock();

	private final List<CircuitTransition> events = new ArrayList<>();

	private CircuitBreaker breaker(CircuitBreakerSettings.Builder settings) {
		return new CircuitBreaker("primary", settings.build(), this.clock, this.events::add);
	}

	private static CircuitBreakerSettings.Builder window(int size, int minimum) {
		return CircuitBreakerSettings.custom()
			.slidingWindow(CircuitBreakerSettings.SlidingWindowType.COUNT_BASED, size)
			.minimumNumberOfCalls(minimum)
			.slowStart(Duration.ZERO);
	}

	private static void succeed(CircuitBreaker breaker, int times) {
		for (int i = 0; i < times; i++) {
			breaker.recordSuccess(breaker.acquire(), FAST);
		}
	}

	private static void fail(CircuitBreaker breaker, int times, Failure failure) {
		for (int i = 0; i < times; i++) {
			breaker.recordFailure(failure, breaker.acquire());
		}
	}

	private static CircuitBreaker opened(CircuitBreaker breaker) {
		fail(breaker, 10, SERVER_ERROR);
		assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
		return breaker;
	}

	@Test
	void whenTheDefaultsMeetABurstOfFiveConsecutiveTimeoutsThenTheCircuitStaysClosed() {
		CircuitBreaker breaker = new CircuitBreaker("primary", CircuitBreakerSettings.DEFAULTS, this.clock,
				this.events::add);
		succeed(breaker, 20);

		fail(breaker, 5, TIMEOUT);

		assertThat(breaker.state()).as("5 of the last 20 calls failed: 25%").isEqualTo(CircuitState.CLOSED);
		assertThat(breaker.snapshot().failureRate()).isEqualTo(25f);
	}

	@Test
	void whenTheWindowHoldsFewerThanTheMinimumThenNoRateOpensTheCircuit() {
		CircuitBreaker breaker = breaker(window(20, 10));

		fail(breaker, 9, SERVER_ERROR);

		assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
		assertThat(breaker.snapshot().failureRate()).as("unknown below the minimum").isEqualTo(-1f);
		fail(breaker, 1, SERVER_ERROR);
		assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
		assertThat(breaker.snapshot().evidence()).isEqualTo(Evidence.INFERRED);
	}

	@Test
	void whenTheFailureRateReachesTheThresholdThenTheCircuitOpensAndNotBefore() {
		CircuitBreaker breaker = breaker(window(10, 10).failureRateThreshold(50));
		succeed(breaker, 6);
		fail(breaker, 4, SERVER_ERROR);
		assertThat(breaker.state()).as("40%").isEqualTo(CircuitState.CLOSED);

		fail(breaker, 1, SERVER_ERROR);

		assertThat(breaker.state()).as("the oldest success slid out: 5 of 10").isEqualTo(CircuitState.OPEN);
		assertThat(this.events).extracting(CircuitTransition::to).containsExactly(CircuitState.OPEN);
		assertThat(this.events.get(0).evidence()).isEqualTo(Evidence.INFERRED);
	}

	@Test
	void whenOldFailuresSlideOutOfACountBasedWindowThenTheyNoLongerCount() {
		CircuitBreaker breaker = breaker(window(10, 10));
		fail(breaker, 4, SERVER_ERROR);
		succeed(breaker, 10);

		assertThat(breaker.snapshot().failureRate()).isZero();
		fail(breaker, 4, SERVER_ERROR);
		assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void whenATimeBasedWindowSlidesThenFailuresOlderThanItAreForgotten() {
		CircuitBreaker breaker = breaker(CircuitBreakerSettings.custom()
			.slidingWindow(CircuitBreakerSettings.SlidingWindowType.TIME_BASED, 10)
			.minimumNumberOfCalls(4)
			.slowStart(Duration.ZERO));
		fail(breaker, 3, SERVER_ERROR);
		this.clock.advance(Duration.ofSeconds(11));

		succeed(breaker, 3);
		fail(breaker, 1, SERVER_ERROR);

		assertThat(breaker.snapshot().failureRate()).as("1 of the 4 calls of the last 10 s").isEqualTo(25f);
		assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
		fail(breaker, 1, SERVER_ERROR);
		assertThat(breaker.state()).as("2 of 5: 40%").isEqualTo(CircuitState.CLOSED);
		fail(breaker, 1, SERVER_ERROR);
		assertThat(breaker.state()).as("3 of 6: 50%").isEqualTo(CircuitState.OPEN);
	}

	@Test
	void whenSlowCallsReachTheSlowCallRateThenTheCircuitOpensOnInferredEvidence() {
		CircuitBreaker breaker = breaker(window(10, 4).slowCallRateThreshold(50)
			.slowCallDurationThreshold(Duration.ofSeconds(2)));
		breaker.recordSuccess(breaker.acquire(), FAST);
		breaker.recordSuccess(breaker.acquire(), FAST);
		breaker.recordSuccess(breaker.acquire(), Duration.ofSeconds(3));
		assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);

		breaker.recordSuccess(breaker.acquire(), Duration.ofSeconds(2));

		assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
		assertThat(breaker.snapshot().evidence()).isEqualTo(Evidence.INFERRED);
	}

	@Test
	void whenConsecutiveFailuresAreAskedForThenThatRuleOpensBeforeTheMinimum() {
		CircuitBreaker breaker = breaker(window(20, 10).failureThreshold(3));

		fail(breaker, 3, TIMEOUT);

		assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
	}

	@Test
	void whenFailuresAreAboutTheRequestThenTheyNeverEnterTheWindow() {
		CircuitBreaker breaker = breaker(window(10, 2));

		fail(breaker, 10, new Failure(FailureKind.BAD_REQUEST, 400, null));

		assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
		assertThat(breaker.snapshot().failureRate()).isEqualTo(-1f);
	}

	@Test
	void whenTheProviderSaysItsQuotaIsExhaustedThenTheCircuitOpensAtOnceOnExplicitEvidence() {
		CircuitBreaker breaker = breaker(window(20, 10));
		succeed(breaker, 5);

		fail(breaker, 1, new Failure(FailureKind.QUOTA_EXHAUSTED, 429, null));

		assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
		assertThat(breaker.keptOutBy()).isEqualTo(Evidence.EXPLICIT);
		assertThat(breaker.acquireInPanic()).as("panic never overrides the provider's word")
			.isEqualTo(CircuitBreaker.DENIED);
	}

	@Test
	void whenOpenOnInferredEvidenceThenAPanicPermitIsGrantedAndItsSuccessStartsTheHalfOpenPeriod() {
		CircuitBreaker breaker = opened(breaker(window(20, 10).permittedNumberOfCallsInHalfOpenState(2)));
		assertThat(breaker.acquire()).isEqualTo(CircuitBreaker.DENIED);

		long panic = breaker.acquireInPanic();
		assertThat(panic).isEqualTo(CircuitBreaker.PANIC);
		breaker.recordSuccess(panic, FAST);

		assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
		long probe = breaker.acquire();
		assertThat(probe).isPositive();
		breaker.recordSuccess(probe, FAST);
		assertThat(breaker.state()).as("2 of 2 half-open calls succeeded").isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void whenAPanicCallFailsThenTheOpenPeriodNeitherGrowsNorMoves() {
		CircuitBreaker breaker = opened(breaker(window(20, 10)));
		java.time.Instant until = breaker.snapshot().openUntil();

		breaker.recordFailure(SERVER_ERROR, breaker.acquireInPanic());

		assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
		assertThat(breaker.snapshot().openUntil()).isEqualTo(until);
	}

	@Test
	void whenAnOperatorForcesTheCircuitOpenThenPanicIsDenied() {
		CircuitBreaker breaker = breaker(window(20, 10));

		breaker.forceOpen();

		assertThat(breaker.keptOutBy()).isEqualTo(Evidence.OPERATOR);
		assertThat(breaker.acquireInPanic()).isEqualTo(CircuitBreaker.DENIED);
	}

	@Test
	void whenTheOpenPeriodEndsThenExactlyThePermittedNumberOfCallsGoThrough() {
		CircuitBreaker breaker = opened(breaker(window(20, 10).permittedNumberOfCallsInHalfOpenState(3)));
		this.clock.advance(Duration.ofSeconds(30));

		long first = breaker.acquire();
		long second = breaker.acquire();
		long third = breaker.acquire();

		assertThat(List.of(first, second, third)).allSatisfy((permit) -> assertThat(permit).isPositive())
			.doesNotHaveDuplicates();
		assertThat(breaker.acquire()).isEqualTo(CircuitBreaker.DENIED);
		assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
		breaker.release(second);
		assertThat(breaker.acquire()).as("a released permit frees its slot").isPositive();
	}

	@Test
	void whenEnoughHalfOpenCallsFailThenTheCircuitReopensBeforeTheOthersReport() {
		CircuitBreaker breaker = opened(breaker(window(20, 10).permittedNumberOfCallsInHalfOpenState(4)));
		this.clock.advance(Duration.ofSeconds(30));
		long[] permits = { breaker.acquire(), breaker.acquire(), breaker.acquire(), breaker.acquire() };

		breaker.recordSuccess(permits[0], FAST);
		breaker.recordFailure(SERVER_ERROR, permits[1]);
		assertThat(breaker.state()).as("1 of 4 failed: 25%").isEqualTo(CircuitState.HALF_OPEN);
		breaker.recordFailure(SERVER_ERROR, permits[2]);

		assertThat(breaker.state()).as("2 of 4 failed: 50%").isEqualTo(CircuitState.OPEN);
		breaker.recordSuccess(permits[3], FAST);
		assertThat(breaker.state()).as("a late success of the last period changes nothing")
			.isEqualTo(CircuitState.OPEN);
	}

	@Test
	void whenHalfOpenCallsFailOnTheProvidersEvidenceThenTheOpenPeriodDoubles() {
		CircuitBreaker breaker = opened(breaker(window(20, 10).permittedNumberOfCallsInHalfOpenState(1)));
		this.clock.advance(Duration.ofSeconds(30));

		breaker.recordFailure(SERVER_ERROR, breaker.acquire());

		assertThat(breaker.snapshot().openUntil()).isEqualTo(this.clock.instant().plus(Duration.ofSeconds(60)));
	}

	@Test
	void whenHalfOpenCallsOnlyTimeOutThenTheOpenPeriodDoesNotGrow() {
		CircuitBreaker breaker = opened(breaker(window(20, 10).permittedNumberOfCallsInHalfOpenState(1)));
		this.clock.advance(Duration.ofSeconds(30));

		breaker.recordFailure(TIMEOUT, breaker.acquire());

		assertThat(breaker.snapshot().openUntil()).as("a timeout may follow our own flood")
			.isEqualTo(this.clock.instant().plus(Duration.ofSeconds(30)));
	}

	@Test
	void whenTheCircuitClosesThenItTakesTrafficBackOverTheSlowStartWindow() {
		CircuitBreaker breaker = opened(breaker(window(20, 10).permittedNumberOfCallsInHalfOpenState(1)
			.slowStart(Duration.ofSeconds(10))));
		this.clock.advance(Duration.ofSeconds(30));
		breaker.recordSuccess(breaker.acquire(), FAST);
		assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
		assertThat(breaker.snapshot().slowStartUntil()).isEqualTo(this.clock.instant().plus(Duration.ofSeconds(10)));

		int atOnce = admitted(breaker, 100);
		this.clock.advance(Duration.ofSeconds(5));
		int halfWay = admitted(breaker, 100);
		this.clock.advance(Duration.ofSeconds(5));
		int after = admitted(breaker, 100);

		assertThat(atOnce).as("10% when it closes").isEqualTo(10);
		assertThat(halfWay).as("about half, half way through").isBetween(45, 55);
		assertThat(after).as("every call once the window is over").isEqualTo(100);
		assertThat(breaker.snapshot().slowStartUntil()).isNull();
	}

	@Test
	void whenAnOperatorResetsTheCircuitThenThereIsNoSlowStart() {
		CircuitBreaker breaker = opened(breaker(window(20, 10).slowStart(Duration.ofSeconds(10))));

		breaker.reset();

		assertThat(admitted(breaker, 50)).isEqualTo(50);
	}

	@Test
	void whenTheSlowStartRampDeniesACallThenItIsKeptOutOnInferredEvidenceOnly() {
		CircuitBreaker breaker = opened(breaker(window(20, 10).permittedNumberOfCallsInHalfOpenState(1)
			.slowStart(Duration.ofSeconds(10))));
		this.clock.advance(Duration.ofSeconds(30));
		breaker.recordSuccess(breaker.acquire(), FAST);

		assertThat(breaker.isAvailable()).as("a ramp may admit: the entry stays in rotation").isTrue();
		assertThat(breaker.keptOutBy()).isNull();
	}

	@Test
	void whenAFailureCarriesRetryAfterThenEveryCallSkipsTheEntryUntilItEndsWithoutOpening() {
		CircuitBreaker breaker = breaker(window(20, 10));
		succeed(breaker, 10);

		fail(breaker, 1, new Failure(FailureKind.RATE_LIMITED, 429, Duration.ofSeconds(8)));

		assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
		assertThat(breaker.acquire()).isEqualTo(CircuitBreaker.DENIED);
		assertThat(breaker.keptOutBy()).isEqualTo(Evidence.EXPLICIT);
		assertThat(breaker.acquireInPanic()).isEqualTo(CircuitBreaker.DENIED);
		assertThat(breaker.snapshot().retryAfterUntil()).isEqualTo(this.clock.instant().plus(Duration.ofSeconds(8)));
		this.clock.advance(Duration.ofMillis(7_999));
		assertThat(breaker.acquire()).isEqualTo(CircuitBreaker.DENIED);
		this.clock.advance(Duration.ofMillis(1));
		assertThat(breaker.acquire()).isEqualTo(CircuitBreaker.NOT_A_PROBE);
		assertThat(breaker.snapshot().retryAfterUntil()).isNull();
	}

	@Test
	void whenARetryAfterIsLongerThanMaxOpenDurationThenTheSkipIsCapped() {
		CircuitBreaker breaker = breaker(window(20, 10).maxOpenDuration(Duration.ofMinutes(5)));

		fail(breaker, 1, new Failure(FailureKind.RATE_LIMITED, 429, Duration.ofDays(3650)));

		assertThat(breaker.snapshot().retryAfterUntil()).isEqualTo(this.clock.instant().plus(Duration.ofMinutes(5)));
	}

	@Test
	void whenTheCircuitClosesThenTheWindowStartsAgain() {
		CircuitBreaker breaker = opened(breaker(window(20, 10).permittedNumberOfCallsInHalfOpenState(1)));
		this.clock.advance(Duration.ofSeconds(30));

		breaker.recordSuccess(breaker.acquire(), FAST);

		assertThat(breaker.snapshot().failureRate()).isEqualTo(-1f);
		fail(breaker, 9, SERVER_ERROR);
		assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void whenTheSettingsAreOutOfRangeThenBuildingThemFailsWithTheirName() {
		org.assertj.core.api.Assertions
			.assertThatIllegalArgumentException()
			.isThrownBy(() -> CircuitBreakerSettings.custom().failureRateThreshold(0).build())
			.withMessageContaining("failureRateThreshold");
		org.assertj.core.api.Assertions
			.assertThatIllegalArgumentException()
			.isThrownBy(() -> CircuitBreakerSettings.custom().permittedNumberOfCallsInHalfOpenState(0).build())
			.withMessageContaining("permittedNumberOfCallsInHalfOpenState");
		assertThat(CircuitBreakerSettings.from(CircuitBreakerSettings.DEFAULTS).build())
			.isEqualTo(CircuitBreakerSettings.ofDefaults());
	}

	private static int admitted(CircuitBreaker breaker, int offered) {
		int admitted = 0;
		for (int i = 0; i < offered; i++) {
			long permit = breaker.acquire();
			if (permit != CircuitBreaker.DENIED) {
				admitted++;
				breaker.release(permit);
			}
		}
		return admitted;
	}

}

package io.github.aifallback.chat.circuit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.aifallback.chat.Failure;
import io.github.aifallback.chat.FailureKind;
import io.github.aifallback.chat.MutableClock;
import io.github.aifallback.chat.event.CircuitStateChangedEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Breakers of two instances sharing one in-memory fleet state: what one learns, the other
 * follows, and the fleet grants one probe per open period.
 */
class SharedCircuitBreakerTests {

	private static final CircuitBreakerSettings SETTINGS = new CircuitBreakerSettings(1, Duration.ofSeconds(30),
			Duration.ofMinutes(5));

	private final MutableClock clock = new MutableClock();

	private final Map<String, Instant> fleet = new HashMap<>();

	private final List<CircuitStateChangedEvent> events = new ArrayList<>();

	private final CircuitBreaker a = new CircuitBreaker("primary", SETTINGS, this.clock, this.events::add,
			new Member(this.fleet, false));

	private final CircuitBreaker b = new CircuitBreaker("primary", SETTINGS, this.clock, this.events::add,
			new Member(this.fleet, true));

	@Test
	void whenABreakerOpensOnRetryAfterThenItPublishesTheWholeWindow() {
		this.a.recordFailure(new Failure(FailureKind.RATE_LIMITED, 429, Duration.ofSeconds(120)), this.a.acquire());

		assertThat(this.fleet.get("primary")).isEqualTo(this.clock.instant().plusSeconds(120));
	}

	@Test
	void whenTheFleetSaysOpenThenAnotherInstanceDeniesWithoutAFailureOfItsOwn() {
		this.a.recordFailure(new Failure(FailureKind.SERVER_ERROR, 503, null), this.a.acquire());

		assertThat(this.b.acquire()).isEqualTo(CircuitBreaker.DENIED);
		assertThat(this.b.state()).isEqualTo(CircuitState.OPEN);
		assertThat(this.b.snapshot().openUntil()).isEqualTo(this.a.snapshot().openUntil());
	}

	@Test
	void whenTheOpenPeriodEndsThenOnlyTheInstanceGrantedTheProbeSendsIt() {
		this.a.recordFailure(new Failure(FailureKind.SERVER_ERROR, 503, null), this.a.acquire());
		this.b.acquire();
		this.clock.advance(Duration.ofSeconds(31));

		long onA = this.a.acquire();
		long onB = this.b.acquire();

		assertThat(onA).isEqualTo(CircuitBreaker.DENIED);
		assertThat(onB).isPositive();
		this.b.recordSuccess(onB);
		assertThat(this.a.acquire()).isEqualTo(CircuitBreaker.NOT_A_PROBE);
		assertThat(this.a.state()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void whenTheFleetsProbeFailsThenTheOtherInstanceStaysOpenForTheNewPeriod() {
		this.a.recordFailure(new Failure(FailureKind.SERVER_ERROR, 503, null), this.a.acquire());
		this.clock.advance(Duration.ofSeconds(31));
		this.a.acquire();

		this.b.recordFailure(new Failure(FailureKind.SERVER_ERROR, 503, null), this.b.acquire());

		assertThat(this.a.acquire()).isEqualTo(CircuitBreaker.DENIED);
		assertThat(this.a.state()).isEqualTo(CircuitState.OPEN);
		assertThat(this.a.snapshot().openUntil()).isEqualTo(this.b.snapshot().openUntil());
	}

	@Test
	void whenAnOperatorResetsABreakerThenTheFleetHearsItClosed() {
		this.a.recordFailure(new Failure(FailureKind.SERVER_ERROR, 503, null), this.a.acquire());

		this.a.reset();

		assertThat(this.fleet.get("primary")).isSameAs(SharedCircuitState.CLOSED);
		assertThat(this.b.acquire()).isEqualTo(CircuitBreaker.NOT_A_PROBE);
	}

	/** One instance's view of a fleet that is one map, answering at once; only one member is granted probes. */
	private static final class Member implements SharedCircuitState {

		private final Map<String, Instant> state;

		private final boolean prober;

		Member(Map<String, Instant> state, boolean prober) {
			this.state = state;
			this.prober = prober;
		}

		@Override
		public Instant openUntil(String breaker) {
			return this.state.get(breaker);
		}

		@Override
		public void opened(String breaker, Instant openUntil, Duration openFor) {
			this.state.put(breaker, openUntil);
		}

		@Override
		public void closed(String breaker) {
			this.state.put(breaker, CLOSED);
		}

		@Override
		public boolean mayProbe(String breaker, Instant openUntil) {
			return this.prober;
		}

	}

}

package io.github.aifallback.chat.circuit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.MutableClock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Breakers of two instances sharing one in-memory fleet state: what one learns, the other
 * follows, within its own limits, and the fleet grants one probe per open period. The
 * fleet's words carry remaining times measured by the store, as Redis's PTTL does; the
 * breakers' clock is their own.
 */
class SharedCircuitBreakerTests {

	private static final CircuitBreakerSettings SETTINGS = new CircuitBreakerSettings(1, Duration.ofSeconds(30),
			Duration.ofMinutes(5));

	private final MutableClock clock = new MutableClock();

	/** The store's clock: the breakers' clocks may differ from it. */
	private final MutableClock store = new MutableClock();

	private final Map<String, Record> fleet = new HashMap<>();

	private final Map<String, Record> retryAfters = new HashMap<>();

	private final List<CircuitTransition> events = new ArrayList<>();

	private final CircuitBreaker a = new CircuitBreaker("primary", SETTINGS, this.clock, this.events::add,
			new Member(false));

	private final CircuitBreaker b = new CircuitBreaker("primary", SETTINGS, this.clock, this.events::add,
			new Member(true));

	@Test
	void whenABreakerOpensOnRetryAfterThenItPublishesTheWholeWindowAsADuration() {
		this.a.recordFailure(new Failure(FailureKind.RATE_LIMITED, 429, Duration.ofSeconds(120)), this.a.acquire());

		assertThat(this.fleet.get("primary").open()).isTrue();
		assertThat(this.fleet.get("primary").until()).isEqualTo(this.store.instant().plusSeconds(120));
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
		this.store.advance(Duration.ofSeconds(31));

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
		this.store.advance(Duration.ofSeconds(31));
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

		assertThat(this.fleet.get("primary").open()).isFalse();
		assertThat(this.b.acquire()).isEqualTo(CircuitBreaker.NOT_A_PROBE);
	}

	@Test
	void whenAnotherInstanceResetsThenAFollowerWhoseOwnCircuitIsOpenCloses() {
		this.b.recordFailure(new Failure(FailureKind.SERVER_ERROR, 503, null), this.b.acquire());
		assertThat(this.b.state()).isEqualTo(CircuitState.OPEN);

		this.a.reset();

		assertThat(this.b.acquire()).isEqualTo(CircuitBreaker.NOT_A_PROBE);
		assertThat(this.b.state()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void whenARecordSaysOpenForTenYearsThenAReaderOpensForItsOwnMaxOpenDurationOnly() {
		write("primary", Duration.ofDays(3650));

		assertThat(this.b.acquire()).isEqualTo(CircuitBreaker.DENIED);
		assertThat(this.b.snapshot().openUntil()).isEqualTo(this.clock.instant().plus(SETTINGS.maxOpenDuration()));
	}

	@Test
	void whenTheSameRecordIsReadAgainLaterThenItExtendsNothing() {
		Record forged = write("primary", Duration.ofDays(3650));
		this.b.acquire();
		Instant until = this.b.snapshot().openUntil();

		this.clock.advance(Duration.ofMinutes(4));
		this.fleet.put("primary", forged);
		this.b.acquire();

		assertThat(this.b.snapshot().openUntil()).isEqualTo(until);
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.b.acquire()).as("the capped period ended: the probe").isPositive();
	}

	@Test
	void whenTheRecordAFollowerOpenedOnIsGoneThenItsOpeningEndsToo() {
		write("primary", Duration.ofMinutes(4));
		this.b.acquire();
		assertThat(this.b.state()).isEqualTo(CircuitState.OPEN);

		this.fleet.remove("primary");

		assertThat(this.b.acquire()).as("its record gone, the opening is over: the probe").isPositive();
	}

	@Test
	void whenTheRecordOfAnOpeningOfThisInstanceIsGoneThenItStaysOpenOnItsOwnEvidence() {
		this.b.recordFailure(new Failure(FailureKind.SERVER_ERROR, 503, null), this.b.acquire());

		this.fleet.remove("primary");

		assertThat(this.b.acquire()).isEqualTo(CircuitBreaker.DENIED);
		assertThat(this.b.state()).isEqualTo(CircuitState.OPEN);
	}

	@Test
	void whenAnotherInstanceWasSentARetryAfterThenThisOneSkipsTheEntryForThatLong() {
		CircuitBreaker tolerant = new CircuitBreaker("primary", new CircuitBreakerSettings(5, Duration.ofSeconds(30),
				Duration.ofMinutes(5)), this.clock, this.events::add, new Member(false));
		tolerant.recordFailure(new Failure(FailureKind.RATE_LIMITED, 429, Duration.ofSeconds(8)), tolerant.acquire());

		assertThat(this.b.isAvailable()).isFalse();
		assertThat(this.b.acquire()).isEqualTo(CircuitBreaker.DENIED);
		assertThat(this.b.state()).as("a Retry-After is not an opening").isEqualTo(CircuitState.CLOSED);
		this.clock.advance(Duration.ofSeconds(8));
		assertThat(this.b.acquire()).isEqualTo(CircuitBreaker.NOT_A_PROBE);
	}

	@Test
	void whenASharedRetryAfterIsYearsLongThenItHoldsForMaxOpenDurationOnly() {
		this.retryAfters.put("primary", new Record(UUID.randomUUID().toString(), true,
				this.store.instant().plus(Duration.ofDays(3650))));

		assertThat(this.b.acquire()).isEqualTo(CircuitBreaker.DENIED);
		this.clock.advance(SETTINGS.maxOpenDuration());
		assertThat(this.b.acquire()).isEqualTo(CircuitBreaker.NOT_A_PROBE);
	}

	private Record write(String breaker, Duration openFor) {
		Record record = new Record(UUID.randomUUID().toString(), true, this.store.instant().plus(openFor));
		this.fleet.put(breaker, record);
		return record;
	}

	/** A record as a store keeps it: until when on the store's own clock, as a key's TTL. */
	private record Record(String id, boolean open, Instant until) {
	}

	/** One instance's view of a fleet that is two maps, answering at once; only one member is granted probes. */
	private final class Member implements SharedCircuitState {

		private final boolean prober;

		Member(boolean prober) {
			this.prober = prober;
		}

		@Override
		public Word word(String breaker) {
			return toWord(SharedCircuitBreakerTests.this.fleet.get(breaker));
		}

		@Override
		public void opened(String breaker, Instant openUntil, Duration openFor) {
			SharedCircuitBreakerTests.this.fleet.put(breaker,
					new Record(UUID.randomUUID().toString(), true, SharedCircuitBreakerTests.this.store.instant().plus(openFor)));
		}

		@Override
		public void closed(String breaker) {
			SharedCircuitBreakerTests.this.fleet.put(breaker, new Record(UUID.randomUUID().toString(), false, null));
		}

		@Override
		public boolean mayProbe(String breaker, Instant openUntil) {
			return this.prober;
		}

		@Override
		public void retryAfter(String breaker, Duration wait) {
			SharedCircuitBreakerTests.this.retryAfters.put(breaker,
					new Record(UUID.randomUUID().toString(), true, SharedCircuitBreakerTests.this.store.instant().plus(wait)));
		}

		@Override
		public Word retryAfter(String breaker) {
			return toWord(SharedCircuitBreakerTests.this.retryAfters.get(breaker));
		}

		private Word toWord(Record record) {
			if (record == null) {
				return null;
			}
			return record.open()
					? Word.opened(record.id(), Duration.between(SharedCircuitBreakerTests.this.store.instant(), record.until()))
					: Word.closed(record.id());
		}

	}

}

package io.github.aifallback.chat.fleet;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.aifallback.chat.MutableClock;
import io.github.aifallback.chat.RetryBudget;
import io.github.aifallback.chat.RetryBudgetSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fleet-wide retry budget's merging, with a fake Redis (a map that answers INCRBY) and a
 * test clock: two instances' budgets count locally and decide on the fleet's totals after
 * an exchange, and on their own counts while the link is down.
 */
class FleetRetryBudgetTests {

	/** 2026-01-01T00:00:00Z, a multiple of the 10 s window. */
	private static final long START_SECOND = 1767225600L;

	private final MutableClock clock = new MutableClock();

	private final Map<String, Long> redis = new ConcurrentHashMap<>();

	private final Map<String, Long> ttls = new ConcurrentHashMap<>();

	private final AtomicBoolean linkUp = new AtomicBoolean(true);

	private final FleetRetryBudgets instanceA = new FleetRetryBudgets("p:", this.linkUp::get);

	private final FleetRetryBudgets instanceB = new FleetRetryBudgets("p:", this.linkUp::get);

	private final FleetRetryBudgets.Exchange fakeRedis = (key, delta, ttlMillis) -> {
		long total = this.redis.merge(key, delta, Long::sum);
		if (total == delta) {
			this.ttls.put(key, ttlMillis);
		}
		return total;
	};

	/** Floor 2 retries per 10 s for the fleet, and no share of calls. */
	private static final RetryBudgetSettings FLOOR_OF_TWO = RetryBudgetSettings.custom()
		.ratio(0)
		.window(Duration.ofSeconds(10))
		.minRetriesPerSecond(0.2)
		.build();

	/** Two refreshes of both instances: each then has read what the other added. */
	private void exchange() {
		for (int i = 0; i < 2; i++) {
			this.instanceA.exchange(this.fakeRedis);
			this.instanceB.exchange(this.fakeRedis);
		}
	}

	@Test
	void whenInstanceASpentTheFleetsFloorThenInstanceBIsDeniedAfterAnExchange() {
		RetryBudget a = this.instanceA.create("primary", FLOOR_OF_TWO, this.clock);
		RetryBudget b = this.instanceB.create("primary", FLOOR_OF_TWO, this.clock);
		a.recordRequest();
		assertThat(a.tryAcquireRetry()).isTrue();
		assertThat(a.tryAcquireRetry()).isTrue();
		assertThat(a.tryAcquireRetry()).as("the floor of 2 is spent").isFalse();

		exchange();

		assertThat(b.tryAcquireRetry()).as("the fleet's floor, not one per instance").isFalse();
		assertThat(this.redis).containsEntry("p:budget:primary:" + START_SECOND + ":retries", 2L)
			.containsEntry("p:budget:primary:" + START_SECOND + ":calls", 1L);
		assertThat(this.ttls).containsEntry("p:budget:primary:" + START_SECOND + ":retries", 20_000L);
	}

	@Test
	void whenNoExchangeHappenedYetThenEachInstanceDecidesOnWhatItCounted() {
		RetryBudget a = this.instanceA.create("primary", FLOOR_OF_TWO, this.clock);
		RetryBudget b = this.instanceB.create("primary", FLOOR_OF_TWO, this.clock);
		assertThat(a.tryAcquireRetry()).isTrue();
		assertThat(a.tryAcquireRetry()).isTrue();

		assertThat(b.tryAcquireRetry()).isTrue();
	}

	@Test
	void whenCallsAreSpreadOverTheFleetThenTheRatioCountsThemAll() {
		RetryBudgetSettings half = RetryBudgetSettings.custom()
			.ratio(0.5)
			.window(Duration.ofSeconds(10))
			.minRetriesPerSecond(0)
			.build();
		RetryBudget a = this.instanceA.create("primary", half, this.clock);
		RetryBudget b = this.instanceB.create("primary", half, this.clock);
		for (int i = 0; i < 4; i++) {
			a.recordRequest();
		}
		assertThat(b.tryAcquireRetry()).as("B alone has seen no call").isFalse();

		exchange();

		assertThat(b.tryAcquireRetry()).isTrue();
		assertThat(b.tryAcquireRetry()).isTrue();
		assertThat(b.tryAcquireRetry()).as("half of the fleet's 4 calls").isFalse();
		exchange();
		assertThat(a.tryAcquireRetry()).as("A sees B's two retries").isFalse();
	}

	@Test
	void whenTheWindowEndsThenThePreviousWindowCountsByHowMuchOfItIsStillInside() {
		RetryBudget a = this.instanceA.create("primary", FLOOR_OF_TWO, this.clock);
		RetryBudget b = this.instanceB.create("primary", FLOOR_OF_TWO, this.clock);
		assertThat(a.tryAcquireRetry()).isTrue();
		assertThat(a.tryAcquireRetry()).isTrue();
		exchange();
		this.clock.advance(Duration.ofSeconds(15));
		exchange();

		assertThat(b.tryAcquireRetry()).as("half of the previous window's 2 retries still count: 1 + 1 <= 2")
			.isTrue();
		assertThat(b.tryAcquireRetry()).isFalse();
	}

	@Test
	void whenTheLinkIsDownThenEachInstanceUsesItsLocalBudget() {
		RetryBudget a = this.instanceA.create("primary", FLOOR_OF_TWO, this.clock);
		RetryBudget b = this.instanceB.create("primary", FLOOR_OF_TWO, this.clock);
		assertThat(a.tryAcquireRetry()).isTrue();
		assertThat(a.tryAcquireRetry()).isTrue();
		exchange();
		this.linkUp.set(false);

		assertThat(b.tryAcquireRetry()).isTrue();
		assertThat(b.tryAcquireRetry()).isTrue();
		assertThat(b.tryAcquireRetry()).as("B's own floor is spent").isFalse();
	}

	@Test
	void whenTheLinkComesBackThenRetriesGrantedWhileDownReachTheFleet() {
		RetryBudget a = this.instanceA.create("primary", FLOOR_OF_TWO, this.clock);
		RetryBudget b = this.instanceB.create("primary", FLOOR_OF_TWO, this.clock);
		this.linkUp.set(false);
		assertThat(b.tryAcquireRetry()).isTrue();
		assertThat(b.tryAcquireRetry()).isTrue();
		this.linkUp.set(true);

		exchange();

		assertThat(a.tryAcquireRetry()).isFalse();
	}

}

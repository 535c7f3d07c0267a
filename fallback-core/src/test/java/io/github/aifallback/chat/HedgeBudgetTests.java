package io.github.aifallback.chat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hedge budget: a share of the requests to hedged entries over a sliding 10-second
 * window, with a floor per second; and the observed p95 of an entry's recent answers.
 */
class HedgeBudgetTests {

	private final MutableClock clock = new MutableClock();

	@Test
	void whenTheShareIsSpentThenNoHedgeStartsUntilTheWindowSlides() {
		HedgeBudget budget = new HedgeBudget(0.1, 0, this.clock);
		for (int i = 0; i < 100; i++) {
			budget.request();
		}
		int granted = 0;
		for (int i = 0; i < 20; i++) {
			granted += budget.tryHedge() ? 1 : 0;
		}
		assertThat(granted).isEqualTo(10);

		this.clock.advance(Duration.ofSeconds(5));
		assertThat(budget.tryHedge()).isFalse();

		// The requests and hedges of the first second have left the window.
		this.clock.advance(Duration.ofSeconds(5));
		budget.request();
		budget.request();
		assertThat(budget.tryHedge()).isFalse();
		for (int i = 0; i < 8; i++) {
			budget.request();
		}
		assertThat(budget.tryHedge()).isTrue();
		assertThat(budget.tryHedge()).isFalse();
	}

	@Test
	void whenTrafficIsLowThenTheFloorStillAllowsHedges() {
		HedgeBudget budget = new HedgeBudget(0.1, 1, this.clock);
		budget.request();
		int granted = 0;
		for (int i = 0; i < 20; i++) {
			granted += budget.tryHedge() ? 1 : 0;
		}
		assertThat(granted).isEqualTo(10);
	}

	@Test
	void whenTheBudgetIsZeroWithNoFloorThenNoHedgeEverStarts() {
		HedgeBudget budget = new HedgeBudget(0, 0, this.clock);
		for (int i = 0; i < 1000; i++) {
			budget.request();
		}
		assertThat(budget.tryHedge()).isFalse();
	}

	@Test
	void whenTooFewAnswersWereSeenThenTheFixedDelayIsUsedAndThenTheObservedP95() {
		EntryHedge hedge = new EntryHedge(HedgeSettings.afterObservedP95(Duration.ofMillis(50)));
		for (int i = 0; i < LatencyWindow.MIN_SAMPLES - 1; i++) {
			hedge.answered(Duration.ofMillis(400));
		}
		assertThat(hedge.delay()).isEqualTo(Duration.ofMillis(50));
		hedge.answered(Duration.ofMillis(400));
		assertThat(hedge.delay()).isEqualTo(Duration.ofMillis(400));
	}

	@Test
	void whenTheObservedP95IsBelowTheFloorThenTheFloorIsTheDelay() {
		EntryHedge hedge = new EntryHedge(HedgeSettings.afterObservedP95(Duration.ofMillis(50)));
		for (int i = 0; i < 100; i++) {
			hedge.answered(Duration.ofMillis(10));
		}
		assertThat(hedge.delay()).isEqualTo(Duration.ofMillis(50));
	}

	@Test
	void whenUnderFivePercentOfAnswersAreSlowThenTheP95IsAFastOne() {
		LatencyWindow window = new LatencyWindow();
		for (int i = 0; i < LatencyWindow.SIZE; i++) {
			window.record((i % 25 == 0) ? 1000 : 20 + (i % 7));
		}
		// 6 slow answers of 128 (4.7%): the 95th percentile is a fast one.
		assertThat(window.p95()).isBetween(20L, 26L);
	}

	@Test
	void whenTheEntryHedgesOnAFixedDelayThenAnswersAreNotKept() {
		EntryHedge hedge = new EntryHedge(HedgeSettings.after(Duration.ofMillis(80)));
		for (int i = 0; i < 100; i++) {
			hedge.answered(Duration.ofMillis(500));
		}
		assertThat(hedge.delay()).isEqualTo(Duration.ofMillis(80));
	}

}

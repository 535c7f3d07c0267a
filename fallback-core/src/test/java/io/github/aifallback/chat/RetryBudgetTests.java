package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The local retry budget, read through a clock that moves only when told: the ratio, the
 * floor, and the window sliding bucket by bucket.
 */
class RetryBudgetTests {

	private final MutableClock clock = new MutableClock();

	private RetryBudget budget(double ratio, Duration window, double minPerSecond) {
		return RetryBudget.local(RetryBudgetSettings.custom()
			.ratio(ratio)
			.window(window)
			.minRetriesPerSecond(minPerSecond)
			.build(), this.clock);
	}

	private static int retriesGranted(RetryBudget budget, int asked) {
		int granted = 0;
		for (int i = 0; i < asked; i++) {
			granted += budget.tryAcquireRetry() ? 1 : 0;
		}
		return granted;
	}

	private static void requests(RetryBudget budget, int count) {
		for (int i = 0; i < count; i++) {
			budget.recordRequest();
		}
	}

	@Test
	void whenThereIsNoTrafficThenTheFloorOfRetriesIsAllowed() {
		RetryBudget budget = budget(0.2, Duration.ofSeconds(10), 0.5);

		assertThat(retriesGranted(budget, 20)).isEqualTo(5);
	}

	@Test
	void whenTrafficIsHighThenRetriesAreTheRatioOfRequests() {
		RetryBudget budget = budget(0.2, Duration.ofSeconds(10), 0.1);
		requests(budget, 100);

		assertThat(retriesGranted(budget, 50)).isEqualTo(20);
	}

	@Test
	void whenRequestsComeAfterTheBudgetIsSpentThenRetriesAreAllowedAgain() {
		RetryBudget budget = budget(0.5, Duration.ofSeconds(10), 0);
		requests(budget, 4);
		assertThat(retriesGranted(budget, 5)).isEqualTo(2);

		requests(budget, 2);

		assertThat(retriesGranted(budget, 5)).isEqualTo(1);
	}

	@Test
	void whenTheRatioAndTheFloorAreZeroThenNoRetryIsAllowed() {
		RetryBudget budget = budget(0, Duration.ofSeconds(10), 0);
		requests(budget, 1000);

		assertThat(budget.tryAcquireRetry()).isFalse();
	}

	@Test
	void whenTheWindowHasPassedThenTheSpentRetriesAreForgotten() {
		RetryBudget budget = budget(0.2, Duration.ofSeconds(10), 0.3);
		assertThat(retriesGranted(budget, 10)).isEqualTo(3);

		this.clock.advance(Duration.ofSeconds(10));

		assertThat(retriesGranted(budget, 10)).isEqualTo(3);
	}

	@Test
	void whenTheWindowSlidesThenOnlyItsOldestBucketsAreForgotten() {
		RetryBudget budget = budget(0.2, Duration.ofSeconds(10), 0.3);
		assertThat(retriesGranted(budget, 2)).isEqualTo(2);
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(retriesGranted(budget, 1)).isEqualTo(1);
		assertThat(budget.tryAcquireRetry()).as("3 retries in the last 10 s").isFalse();

		this.clock.advance(Duration.ofSeconds(5));

		assertThat(retriesGranted(budget, 10)).as("the first two slid out, the third is still in").isEqualTo(2);
	}

	@Test
	void whenRequestsSlideOutOfTheWindowThenTheyNoLongerPayForRetries() {
		RetryBudget budget = budget(0.5, Duration.ofSeconds(10), 0);
		requests(budget, 10);
		this.clock.advance(Duration.ofSeconds(10));

		assertThat(budget.tryAcquireRetry()).isFalse();
	}

	@Test
	void whenManyThreadsAskAtOnceThenExactlyTheBudgetIsGranted() throws Exception {
		RetryBudget budget = budget(0.2, Duration.ofSeconds(10), 5);
		java.util.concurrent.atomic.AtomicInteger granted = new java.util.concurrent.atomic.AtomicInteger();
		java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
		List<Thread> threads = new java.util.ArrayList<>();
		for (int t = 0; t < 8; t++) {
			Thread thread = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				for (int i = 0; i < 100; i++) {
					budget.recordRequest();
					granted.addAndGet(budget.tryAcquireRetry() ? 1 : 0);
				}
			});
			thread.start();
			threads.add(thread);
		}
		start.countDown();
		for (Thread thread : threads) {
			thread.join();
		}

		// 800 calls: 20% is 160, above the floor of 50. Never more, however the threads met.
		assertThat(granted.get()).isLessThanOrEqualTo(160);
		assertThat(granted.get() + retriesGranted(budget, 200)).isEqualTo(160);
	}

	@Test
	void whenTheSettingsCannotWorkThenTheyAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> RetryBudgetSettings.custom().ratio(1.5).build());
		assertThatIllegalArgumentException().isThrownBy(() -> RetryBudgetSettings.custom().ratio(-0.1).build());
		assertThatIllegalArgumentException().isThrownBy(() -> RetryBudgetSettings.custom().window(Duration.ZERO).build());
		assertThatIllegalArgumentException().isThrownBy(() -> RetryBudgetSettings.custom().minRetriesPerSecond(-1).build());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RetryBudgetSettings.custom().ratio(Double.NaN).build());
	}

}

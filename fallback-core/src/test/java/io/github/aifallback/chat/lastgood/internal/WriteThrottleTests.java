package io.github.aifallback.chat.lastgood.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * At most one last-good write per key and second, in a fixed table of slots.
 */
class WriteThrottleTests {

	private final WriteThrottle throttle = new WriteThrottle();

	@Test
	void whenTheSameKeySucceedsTwiceWithinASecondThenOnlyTheFirstIsWritten() {
		assertThat(this.throttle.tryAcquire("k", 10_000)).isTrue();
		assertThat(this.throttle.tryAcquire("k", 10_999)).isFalse();
		assertThat(this.throttle.tryAcquire("other", 10_999)).isTrue();
		assertThat(this.throttle.tryAcquire("k", 11_000)).isTrue();
	}

	@Test
	void whenTheClockGoesBackThenTheKeyIsWrittenRatherThanStuck() {
		assertThat(this.throttle.tryAcquire("k", 10_000)).isTrue();
		assertThat(this.throttle.tryAcquire("k", 5_000)).isTrue();
	}

	@Test
	void whenTwoKeysShareASlotThenTheyEvictEachOtherAndBothAreWritten() {
		String first = "k0";
		String second = null;
		for (int i = 1; second == null; i++) {
			String candidate = "k" + i;
			if (WriteThrottle.slot(candidate.hashCode()) == WriteThrottle.slot(first.hashCode())) {
				second = candidate;
			}
		}
		assertThat(this.throttle.tryAcquire(first, 10_000)).isTrue();
		assertThat(this.throttle.tryAcquire(second, 10_001)).isTrue();

		assertThat(this.throttle.tryAcquire(first, 10_002)).as("evicted, so written again").isTrue();
		assertThat(this.throttle.tryAcquire(first, 10_003)).isFalse();
	}

	@Test
	void whenTheMillisecondsWrapAroundThirtyTwoBitsThenTheIntervalStillHolds() {
		long beforeWrap = 0xFFFF_FFFFL - 100;
		assertThat(this.throttle.tryAcquire("k", beforeWrap)).isTrue();
		assertThat(this.throttle.tryAcquire("k", beforeWrap + 500)).isFalse();
		assertThat(this.throttle.tryAcquire("k", beforeWrap + 1_000)).isTrue();
	}

	@Test
	void whenManyUniqueKeysThenEachIsWrittenAndTheMemoryStaysFixed() {
		int written = 0;
		for (int i = 0; i < 100_000; i++) {
			written += this.throttle.tryAcquire("unique-" + i, 10_000) ? 1 : 0;
		}
		assertThat(written).isEqualTo(100_000);
	}

}

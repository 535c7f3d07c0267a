package io.github.aifallback.chat.lastgood.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * At most one last-good write per key and second, with a bounded memory of keys.
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
	void whenMoreKeysThanItRemembersThenItForgetsThemAndStaysBounded() {
		for (int i = 0; i < WriteThrottle.MAX_KEYS; i++) {
			this.throttle.tryAcquire("k" + i, 10_000);
		}
		assertThat(this.throttle.tryAcquire("k0", 10_001)).isFalse();

		assertThat(this.throttle.tryAcquire("one-too-many", 10_001)).isTrue();

		assertThat(this.throttle.tryAcquire("k0", 10_002)).as("forgotten, so written again").isTrue();
	}

}

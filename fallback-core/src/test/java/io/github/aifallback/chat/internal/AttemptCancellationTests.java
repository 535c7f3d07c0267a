package io.github.aifallback.chat.internal;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-thread cancellation a hedged race gives its attempts: only their threads have
 * one, a cancel reaches what was registered (and what registers later), and nothing is
 * cancelled once the attempt is over.
 */
class AttemptCancellationTests {

	@Test
	void whenTheThreadRunsNoRaceThenRegisteringDoesNothing() {
		AtomicInteger cancels = new AtomicInteger();

		AttemptCancellation.onCancel(cancels::incrementAndGet);

		assertThat(AttemptCancellation.isCancellable()).isFalse();
		assertThat(cancels).hasValue(0);
	}

	@Test
	void whenTheAttemptIsCancelledThenWhatItRegisteredRunsOnceAndLaterRegistrationsRunAtOnce() {
		AtomicInteger cancels = new AtomicInteger();
		AttemptCancellation cancellation = new AttemptCancellation();
		cancellation.enter();
		try {
			assertThat(AttemptCancellation.isCancellable()).isTrue();
			AttemptCancellation.onCancel(cancels::incrementAndGet);

			cancellation.cancel();
			cancellation.cancel();
			assertThat(cancels).hasValue(1);

			AttemptCancellation.onCancel(cancels::incrementAndGet);
			assertThat(cancels).hasValue(2);
		}
		finally {
			cancellation.close();
		}
		assertThat(AttemptCancellation.isCancellable()).isFalse();
	}

	@Test
	void whenTheAttemptIsOverThenACancelReachesNothing() {
		AtomicInteger cancels = new AtomicInteger();
		AttemptCancellation cancellation = new AttemptCancellation();
		cancellation.enter();
		AttemptCancellation.onCancel(cancels::incrementAndGet);
		cancellation.close();

		cancellation.cancel();

		assertThat(cancels).hasValue(0);
	}

	@Test
	void whenACancelThrowsThenTheOthersStillRun() {
		AtomicInteger cancels = new AtomicInteger();
		AttemptCancellation cancellation = new AttemptCancellation();
		cancellation.enter();
		try {
			AttemptCancellation.onCancel(() -> {
				throw new IllegalStateException("already closed");
			});
			AttemptCancellation.onCancel(cancels::incrementAndGet);

			cancellation.cancel();
		}
		finally {
			cancellation.close();
		}
		assertThat(cancels).hasValue(1);
	}

}

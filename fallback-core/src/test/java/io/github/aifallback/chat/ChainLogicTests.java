package io.github.aifallback.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.event.AttemptFailedEvent;
import io.github.aifallback.chat.event.CallCompletedEvent;
import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.event.FellBackEvent;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The chain's decisions with fake entries, an injectable clock and a recording sleeper: no
 * HTTP and no real waiting.
 */
class ChainLogicTests {

	private final MutableClock clock = new MutableClock();

	private final List<Duration> waits = new ArrayList<>();

	private final Sleeper sleeper = (duration) -> {
		this.waits.add(duration);
		this.clock.advance(duration);
	};

	private final List<FallbackEvent> events = new ArrayList<>();

	private ResilientChatClient.Builder builder(ChainEntry... entries) {
		return ResilientChatClient.builder()
			.entries(List.of(entries))
			.clock(this.clock)
			.sleeper(this.sleeper)
			.listener(this.events::add)
			.classifier((ex) -> ((FakeFailure) ex).failure);
	}

	private static RetrySettings retry(int maxAttempts, boolean jitter, int maxTotal) {
		return RetrySettings.custom()
			.maxAttempts(maxAttempts)
			.initialInterval(Duration.ofMillis(100))
			.maxInterval(Duration.ofMillis(300))
			.jitter(jitter)
			.maxTotalAttempts(maxTotal)
			.build();
	}

	@Test
	void whenRetryingThenWaitsGrowExponentiallyUpToMaxInterval() {
		Fake primary = failing(new Failure(FailureKind.SERVER_ERROR, 500, null));
		Fake secondary = answering("ok");

		ChatResponse response = builder(primary.entry("primary"), secondary.entry("secondary"))
			.retry(retry(5, false, 10))
			.build()
			.call(new Prompt("hi"));

		assertThat(this.waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
				Duration.ofMillis(300), Duration.ofMillis(300));
		assertThat(primary.calls).hasValue(5);
		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
	}

	@Test
	void whenJitterIsOnThenTheWaitLiesBetweenHalfAndAllOfTheInterval() {
		Fake primary = failing(new Failure(FailureKind.SERVER_ERROR, 500, null));
		double[] randoms = { 0.0, 0.999 };
		AtomicInteger next = new AtomicInteger();

		builder(primary.entry("primary"), answering("ok").entry("secondary")).retry(retry(3, true, 10))
			.random(() -> randoms[next.getAndIncrement()])
			.build()
			.call(new Prompt("hi"));

		assertThat(this.waits).containsExactly(Duration.ofMillis(50), Duration.ofMillis(199));
	}

	@Test
	void whenRetryAfterIsLongerThanTheComputedWaitThenItIsHonoured() {
		Fake primary = failingThenAnswering(new Failure(FailureKind.RATE_LIMITED, 429, Duration.ofMillis(250)));

		builder(primary.entry("primary")).retry(retry(3, false, 10)).build().call(new Prompt("hi"));

		assertThat(this.waits).containsExactly(Duration.ofMillis(250));
	}

	@Test
	void whenRetryAfterIsNotHonouredThenTheComputedWaitIsUsed() {
		Fake primary = failingThenAnswering(new Failure(FailureKind.RATE_LIMITED, 429, Duration.ofMillis(250)));

		builder(primary.entry("primary"))
			.retry(RetrySettings.custom()
				.initialInterval(Duration.ofMillis(100))
				.maxInterval(Duration.ofMillis(300))
				.jitter(false)
				.honorRetryAfter(false)
				.maxTotalAttempts(10)
				.build())
			.build()
			.call(new Prompt("hi"));

		assertThat(this.waits).containsExactly(Duration.ofMillis(100));
	}

	@Test
	void whenTheWaitDoesNotFitTheDeadlineThenTheNextEntryIsTriedAtOnce() {
		Fake primary = failing(new Failure(FailureKind.RATE_LIMITED, 429, Duration.ofMillis(250)));
		Fake secondary = answering("ok");

		builder(primary.entry("primary"), secondary.entry("secondary")).retry(retry(3, false, 10))
			.timeout(Duration.ofMillis(200))
			.deadline(Duration.ofMillis(200))
			.build()
			.call(new Prompt("hi"));

		assertThat(this.waits).isEmpty();
		assertThat(primary.calls).hasValue(1);
		assertThat(secondary.calls).hasValue(1);
	}

	@Test
	void whenTheDeadlineNearsThenTheAttemptTimeoutShrinksToTheTimeLeft() {
		Fake primary = failing(new Failure(FailureKind.TIMEOUT, 0, null));
		primary.elapsedPerCall = Duration.ofMillis(400);
		Fake secondary = answering("ok");

		builder(primary.entry("primary"), secondary.entry("secondary")).retry(retry(1, false, 10))
			.timeout(Duration.ofMillis(400))
			.deadline(Duration.ofMillis(500))
			.fallbackFloor(Duration.ZERO)
			.build()
			.call(new Prompt("hi"));

		assertThat(primary.timeouts).containsExactly(Duration.ofMillis(400));
		assertThat(secondary.timeouts).containsExactly(Duration.ofMillis(100));
	}

	@Test
	void whenTheDeadlineHasPassedThenNoFurtherEntryIsTried() {
		Fake primary = failing(new Failure(FailureKind.TIMEOUT, 0, null));
		primary.elapsedPerCall = Duration.ofMillis(500);
		Fake secondary = answering("ok");

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> builder(primary.entry("primary"), secondary.entry("secondary"))
				.retry(retry(3, false, 10))
				.timeout(Duration.ofMillis(500))
				.deadline(Duration.ofMillis(500))
				.build()
				.call(new Prompt("hi")))
			.withMessageContaining("deadline of 500 ms reached");
		assertThat(secondary.calls).hasValue(0);
	}

	@Test
	void whenMaxTotalAttemptsIsReachedThenTheChainStopsAcrossEntries() {
		Fake primary = failing(new Failure(FailureKind.SERVER_ERROR, 500, null));
		Fake secondary = failing(new Failure(FailureKind.SERVER_ERROR, 500, null));
		Fake tertiary = answering("ok");

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> builder(primary.entry("a"), secondary.entry("b"), tertiary.entry("c"))
				.retry(retry(3, false, 4))
				.build()
				.call(new Prompt("hi")))
			.withMessageContaining("max-total-attempts of 4 reached")
			.satisfies((ex) -> assertThat(ex.getAttempts()).hasSize(4));
		assertThat(primary.calls).hasValue(3);
		assertThat(secondary.calls).hasValue(1);
		assertThat(tertiary.calls).hasValue(0);
	}

	@Test
	void whenThePolicySaysStopThenNoOtherEntryIsTried() {
		Fake primary = failing(new Failure(FailureKind.BAD_REQUEST, 400, null));
		Fake secondary = answering("ok");

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> builder(primary.entry("primary"), secondary.entry("secondary"))
				.policy(FallbackPolicy.defaults().with(FailureKind.BAD_REQUEST, FailureAction.STOP))
				.build()
				.call(new Prompt("hi")))
			.withMessageContaining("stopped by policy");
		assertThat(secondary.calls).hasValue(0);
	}

	@Test
	void whenThePolicySaysRetryForAKindThatDefaultsToFallBackThenItIsRetried() {
		Fake primary = failingThenAnswering(new Failure(FailureKind.BAD_REQUEST, 400, null));

		ChatResponse response = builder(primary.entry("primary"))
			.retry(retry(2, false, 10))
			.policy(FallbackPolicy.defaults().with(FailureKind.BAD_REQUEST, FailureAction.RETRY))
			.build()
			.call(new Prompt("hi"));

		assertThat(primary.calls).hasValue(2);
		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("primary");
	}

	@Test
	void whenAttemptsFailThenEventsSayWhatHappenedNext() {
		Fake primary = failing(new Failure(FailureKind.SERVER_ERROR, 500, null));

		builder(primary.entry("primary"), answering("ok").entry("secondary")).retry(retry(2, false, 10))
			.build()
			.call(new Prompt("hi"));

		assertThat(this.events).extracting((event) -> event.getClass().getSimpleName())
			.containsExactly("AttemptFailedEvent", "AttemptFailedEvent", "FellBackEvent", "AttemptSucceededEvent",
					"CallCompletedEvent");
		assertThat(this.events).filteredOn(AttemptFailedEvent.class::isInstance)
			.extracting((event) -> ((AttemptFailedEvent) event).action())
			.containsExactly(FailureAction.RETRY, FailureAction.FALL_BACK);
		assertThat(this.events).filteredOn(FellBackEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> assertThat(((FellBackEvent) event).next()).isEqualTo("secondary"));
		assertThat(this.events).filteredOn(CallCompletedEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> {
				CallCompletedEvent completed = (CallCompletedEvent) event;
				assertThat(completed.entry()).isEqualTo("secondary");
				assertThat(completed.outcome()).isEqualTo(CallCompletedEvent.Outcome.SERVED);
				assertThat(completed.attempts()).isEqualTo(3);
			});
	}

	@Test
	void whenAListenerThrowsThenTheCallStillSucceeds() {
		Fake primary = failing(new Failure(FailureKind.SERVER_ERROR, 500, null));

		ChatResponse response = builder(primary.entry("primary"), answering("ok").entry("secondary"))
			.listener((event) -> {
				throw new IllegalStateException("broken listener");
			})
			.build()
			.call(new Prompt("hi"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("ok");
	}

	@Test
	void whenAnEntryOverridesMaxAttemptsThenItIsUsed() {
		Fake primary = failing(new Failure(FailureKind.SERVER_ERROR, 500, null));

		builder(new ChainEntry("primary", "m", primary, null, 1), answering("ok").entry("secondary"))
			.retry(retry(5, false, 10))
			.build()
			.call(new Prompt("hi"));

		assertThat(primary.calls).hasValue(1);
		assertThat(this.waits).isEmpty();
	}

	@Test
	void whenThePromptHasNoMessageThenTheCallIsRejectedClearly() {
		ResilientChatClient client = builder(answering("ok").entry("primary")).build();

		assertThatIllegalArgumentException().isThrownBy(() -> client.call(new Prompt(List.of())))
			.withMessageContaining("at least one message");
	}

	@Test
	void whenLessThanTheFloorIsLeftThenNoAttemptStarts() {
		Fake primary = failing(new Failure(FailureKind.SERVER_ERROR, 500, null));
		primary.elapsedPerCall = Duration.ofMillis(460);
		Fake secondary = answering("ok");

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> builder(primary.entry("primary"), secondary.entry("secondary")).retry(retry(1, false, 10))
				.timeout(Duration.ofMillis(500))
				.deadline(Duration.ofMillis(500))
				.minAttemptTime(Duration.ofMillis(50))
				.build()
				.call(new Prompt("hi")))
			.withMessageContaining("deadline of 500 ms reached");
		assertThat(secondary.calls).as("40 ms left, under the 50 ms floor").hasValue(0);
	}

	@Test
	void whenTheFloorIsLeftThenTheLastAttemptGetsExactlyTheTimeLeftAndNeverLess() {
		Fake primary = failing(new Failure(FailureKind.SERVER_ERROR, 500, null));
		primary.elapsedPerCall = Duration.ofMillis(450);
		Fake secondary = answering("ok");

		builder(primary.entry("primary"), secondary.entry("secondary")).retry(retry(1, false, 10))
			.timeout(Duration.ofMillis(500))
			.deadline(Duration.ofMillis(500))
			.minAttemptTime(Duration.ofMillis(50))
			.build()
			.call(new Prompt("hi"));

		assertThat(secondary.timeouts).containsExactly(Duration.ofMillis(50));
	}

	@Test
	void whenTheSleeperOversleepsThenTheRetryDoesNotStartPastTheDeadline() {
		Fake primary = failing(new Failure(FailureKind.SERVER_ERROR, 500, null));
		Fake secondary = answering("ok");
		Sleeper oversleeping = (duration) -> this.clock.advance(Duration.ofMillis(990));

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> builder(primary.entry("primary"), secondary.entry("secondary")).retry(retry(3, false, 10))
				.sleeper(oversleeping)
				.timeout(Duration.ofMillis(500))
				.deadline(Duration.ofSeconds(1))
				.build()
				.call(new Prompt("hi")))
			.withMessageContaining("deadline of 1000 ms reached");
		assertThat(primary.calls).as("the retry re-checks the deadline after its backoff").hasValue(1);
		assertThat(secondary.calls).hasValue(0);
	}

	@Test
	void whenTheWaitAndTheFloorDoNotFitTheDeadlineThenTheNextEntryIsTriedAtOnce() {
		Fake primary = failing(new Failure(FailureKind.RATE_LIMITED, 429, Duration.ofMillis(460)));
		Fake secondary = answering("ok");

		builder(primary.entry("primary"), secondary.entry("secondary")).retry(retry(3, false, 10))
			.retry(RetrySettings.custom()
				.initialInterval(Duration.ofMillis(100))
				.maxInterval(Duration.ofSeconds(1))
				.jitter(false)
				.maxTotalAttempts(10)
				.build())
			.timeout(Duration.ofMillis(500))
			.deadline(Duration.ofMillis(500))
			.build()
			.call(new Prompt("hi"));

		assertThat(this.waits).as("460 ms + the 50 ms floor exceed the 500 ms left").isEmpty();
		assertThat(secondary.calls).hasValue(1);
	}

	@Test
	void whenTheThreadIsInterruptedDuringTheBackoffThenTheCallEndsWithACleanInterruption() {
		Fake primary = failing(new Failure(FailureKind.SERVER_ERROR, 500, null));
		Fake secondary = answering("ok");
		Sleeper interrupted = (duration) -> {
			throw new InterruptedException("shutting down");
		};

		try {
			assertThatExceptionOfType(AllModelsFailedException.class)
				.isThrownBy(() -> builder(primary.entry("primary"), secondary.entry("secondary"))
					.retry(retry(3, false, 10))
					.sleeper(interrupted)
					.build()
					.call(new Prompt("hi")))
				.withMessageContaining("interrupted while waiting to retry 'primary'")
				.havingCause()
				.isInstanceOf(InterruptedException.class);
			assertThat(Thread.currentThread().isInterrupted()).as("the interrupt flag is kept").isTrue();
			assertThat(secondary.calls).hasValue(0);
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void whenAnEntryHasItsOwnPolicyThenItDecidesForThatEntryOnly() {
		Fake primary = failing(new Failure(FailureKind.SERVER_ERROR, 500, null));
		Fake secondary = failing(new Failure(FailureKind.SERVER_ERROR, 500, null));
		Fake tertiary = answering("ok");
		FallbackPolicy fallBackAtOnce = FallbackPolicy
			.of(java.util.Map.of(FailureKind.SERVER_ERROR, FailureAction.FALL_BACK));

		builder(primary.entry("primary").withPolicy(fallBackAtOnce), secondary.entry("secondary"),
				tertiary.entry("tertiary"))
			.retry(retry(3, false, 10))
			.build()
			.call(new Prompt("hi"));

		assertThat(primary.calls).as("its own policy: fall back at once").hasValue(1);
		assertThat(secondary.calls).as("the chain's policy: retry").hasValue(3);
	}

	@Test
	void whenTheBuilderGetsAnInvalidChainThenItSaysWhy() {
		assertThatIllegalArgumentException().isThrownBy(() -> ResilientChatClient.builder().build())
			.withMessageContaining("at least one entry");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> builder(answering("a").entry("x"), answering("b").entry("x")).build())
			.withMessageContaining("'x'");
	}

	private Fake failing(Failure failure) {
		return new Fake(failure, Integer.MAX_VALUE, null, this.clock);
	}

	private Fake failingThenAnswering(Failure failure) {
		return new Fake(failure, 1, "recovered", this.clock);
	}

	private Fake answering(String text) {
		return new Fake(null, 0, text, this.clock);
	}

	/** A fake entry: fails with a given failure, or answers; each call takes a set time. */
	static final class Fake implements EntryModel {

		final AtomicInteger calls = new AtomicInteger();

		final List<Duration> timeouts = new ArrayList<>();

		private final Failure failure;

		private final int failures;

		private final String text;

		Duration elapsedPerCall = Duration.ZERO;

		private final MutableClock clock;

		Fake(Failure failure, int failures, String text, MutableClock clock) {
			this.failure = failure;
			this.failures = failures;
			this.text = text;
			this.clock = clock;
		}

		ChainEntry entry(String name) {
			return ChainEntry.of(name, name + "-model", this);
		}

		@Override
		public ChatResponse call(Prompt prompt, Duration timeout) {
			this.timeouts.add(timeout);
			int n = this.calls.incrementAndGet();
			this.clock.advance(this.elapsedPerCall);
			if (n <= this.failures) {
				throw new FakeFailure(this.failure);
			}
			return new ChatResponse(List.of(new Generation(new AssistantMessage(this.text))));
		}

	}

	static final class FakeFailure extends RuntimeException {

		final Failure failure;

		FakeFailure(Failure failure) {
			super(failure.kind().name());
			this.failure = failure;
		}

	}

}

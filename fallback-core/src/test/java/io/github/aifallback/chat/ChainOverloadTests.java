package io.github.aifallback.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.aifallback.chat.ChainLogicTests.Fake;
import io.github.aifallback.chat.ChainLogicTests.FakeFailure;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.circuit.Evidence;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.event.CallNotPermittedEvent;
import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.event.PanicModeEvent;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.failure.LocalOverloadException;
import io.github.aifallback.chat.lastgood.CacheLastGoodStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.cache.concurrent.ConcurrentMapCache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The chain under overload, as one system (issue 19), with fake entries, an injectable
 * clock and a recording sleeper: panic mode entered and left, explicit evidence obeyed,
 * the last good answer first, deadline budgeting, the bulkhead and our own overload kept
 * off the provider's circuit.
 */
@ExtendWith(CapturedLogs.class)
class ChainOverloadTests {

	private static final Failure TIMEOUT = new Failure(FailureKind.TIMEOUT, 0, null);

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
			.retry(RetrySettings.custom().maxAttempts(1).build())
			.circuitBreaker(new CircuitBreakerSettings(2, Duration.ofSeconds(30), Duration.ofMinutes(5)))
			.classifier((ex) -> (ex instanceof FakeFailure fake) ? fake.failure
					: new Failure(FailureKind.SERVER_ERROR, 500, null));
	}

	private static String servedBy(ChatResponse response) {
		return response.getMetadata().get(FallbackMetadata.SERVED_BY);
	}

	/** Two calls open both circuits (two consecutive failures each). */
	private void openBoth(ResilientChatClient client) {
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> client.call(new Prompt("hi")));
		}
		assertThat(client.getCircuitBreakers()).allSatisfy((b) -> assertThat(b.state()).isEqualTo(CircuitState.OPEN));
	}

	@Test
	void whenEveryCircuitIsOpenOnInferredEvidenceThenCallsStillGoToTheEntryMostLikelyToAnswer() {
		Fake primary = new Fake(TIMEOUT, Integer.MAX_VALUE, null, this.clock);
		Fake secondary = new Fake(TIMEOUT, 2, "ok", this.clock);
		ResilientChatClient client = builder(primary.entry("primary"), secondary.entry("secondary")).build();
		openBoth(client);
		assertThat(client.inPanic()).isTrue();

		assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> client.call(new Prompt("hi")))
			.withMessageContaining("panic mode: the attempt on 'primary' failed too")
			.satisfies((ex) -> assertThat(ex.getAttempts()).as("one attempt, no retry").hasSize(1));
		ChatResponse served = client.call(new Prompt("hi"));

		assertThat(servedBy(served)).as("the primary failed once more in panic: the secondary is now more likely")
			.isEqualTo("secondary");
		assertThat(served.getMetadata().<Boolean>get(FallbackMetadata.PANIC)).isTrue();
		assertThat(client.circuitBreaker("secondary").state()).as("its panic success was a good half-open call")
			.isEqualTo(CircuitState.CLOSED);
		assertThat(client.inPanic()).isFalse();
		assertThat(this.events).filteredOn(PanicModeEvent.class::isInstance)
			.extracting((event) -> ((PanicModeEvent) event).entered())
			.containsExactly(true, false);
	}

	@Test
	void whenTheEntriesACallTriedFailedAndTheOthersAreOutOnInferredEvidenceThenPanicSendsItToAnUntriedOne() {
		Fake primary = new Fake(TIMEOUT, Integer.MAX_VALUE, null, this.clock);
		Fake secondary = new Fake(null, 0, "ok", this.clock);
		ResilientChatClient client = builder(primary.entry("primary"), secondary.entry("secondary"))
			.retry(RetrySettings.custom()
				.maxAttempts(2)
				.initialInterval(Duration.ofMillis(100))
				.maxInterval(Duration.ofSeconds(1))
				.jitter(false)
				.build())
			.build();
		io.github.aifallback.chat.circuit.CircuitBreaker breaker = client.circuitBreaker("secondary");
		breaker.recordFailure(TIMEOUT, breaker.acquire());
		breaker.recordFailure(TIMEOUT, breaker.acquire());
		assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);

		ChatResponse served = client.call(new Prompt("hi"));

		assertThat(servedBy(served)).as("the primary failed twice and opened: the chain panics").isEqualTo("secondary");
		assertThat(served.getMetadata().<Boolean>get(FallbackMetadata.PANIC)).isTrue();
		assertThat(served.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).hasSize(2);
		assertThat(primary.calls).as("a call never panics back onto an entry it tried").hasValue(2);
	}

	@Test
	void whenPanicModeIsOffThenCallsFailFastWhileEveryCircuitIsOpen() {
		Fake primary = new Fake(TIMEOUT, Integer.MAX_VALUE, null, this.clock);
		Fake secondary = new Fake(TIMEOUT, 2, "ok", this.clock);
		ResilientChatClient client = builder(primary.entry("primary"), secondary.entry("secondary")).panic(false, 50)
			.build();
		openBoth(client);

		assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> client.call(new Prompt("hi")))
			.withMessageContaining("every circuit is open");
		assertThat(primary.calls.get() + secondary.calls.get()).isEqualTo(4);
		assertThat(client.inPanic()).isFalse();
	}

	@Test
	void whenEveryEntryIsOutOnExplicitEvidenceThenNoCallIsSentInPanic() {
		Failure quota = new Failure(FailureKind.QUOTA_EXHAUSTED, 429, null);
		Fake primary = new Fake(quota, Integer.MAX_VALUE, null, this.clock);
		Fake secondary = new Fake(quota, Integer.MAX_VALUE, null, this.clock);
		ResilientChatClient client = builder(primary.entry("primary"), secondary.entry("secondary")).build();
		assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> client.call(new Prompt("hi")));

		for (int i = 0; i < 5; i++) {
			assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> client.call(new Prompt("hi")))
				.withMessageContaining("every circuit is open");
		}

		assertThat(primary.calls.get() + secondary.calls.get()).as("quota exhausted opened each at once").isEqualTo(2);
		assertThat(client.inPanic()).isFalse();
	}

	@Test
	void whenAThrottledEntryIsUnderRetryAfterThenPanicSkipsItForTheOneOutOnInferredEvidence() {
		Fake primary = new Fake(new Failure(FailureKind.RATE_LIMITED, 429, Duration.ofSeconds(60)), Integer.MAX_VALUE,
				null, this.clock);
		Fake secondary = new Fake(TIMEOUT, 2, "ok", this.clock);
		ResilientChatClient client = builder(primary.entry("primary"), secondary.entry("secondary")).build();
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> client.call(new Prompt("hi")));
		}
		assertThat(client.circuitBreaker("primary").keptOutBy()).isEqualTo(Evidence.EXPLICIT);
		assertThat(client.circuitBreaker("primary").state()).as("a Retry-After skips; it does not open")
			.isEqualTo(CircuitState.CLOSED);
		assertThat(client.circuitBreaker("secondary").state()).isEqualTo(CircuitState.OPEN);

		ChatResponse served = client.call(new Prompt("hi"));

		assertThat(servedBy(served)).isEqualTo("secondary");
		assertThat(primary.calls).as("one 429 with Retry-After: 60 keeps every call away from it").hasValue(1);
	}

	@Test
	void whenALastGoodAnswerExistsThenItIsServedBeforeAnyCallInPanic() {
		Fake primary = new Fake(TIMEOUT, Integer.MAX_VALUE, null, this.clock);
		Fake secondary = new Fake(TIMEOUT, Integer.MAX_VALUE, null, this.clock);
		ConcurrentMapCache cache = new ConcurrentMapCache("last-good");
		AtomicInteger answers = new AtomicInteger();
		EntryModel once = (prompt, timeout) -> {
			if (answers.incrementAndGet() > 1) {
				throw new FakeFailure(TIMEOUT);
			}
			return new ChatResponse(List.of(new Generation(new AssistantMessage("remembered"))));
		};
		ResilientChatClient client = builder(ChainEntry.of("primary", "m", once), secondary.entry("secondary"))
			.lastGoodStore(LastGoodLogicTests.direct(new CacheLastGoodStore(cache, Duration.ofHours(1), this.clock)))
			.build();
		client.call(new Prompt("hi"));
		for (int i = 0; i < 2; i++) {
			client.call(new Prompt("hi"));
		}
		assertThat(client.inPanic()).isTrue();
		int sent = answers.get() + secondary.calls.get();

		ChatResponse degraded = client.call(new Prompt("hi"));

		assertThat(degraded.getMetadata().<Boolean>get(FallbackMetadata.DEGRADED)).isTrue();
		assertThat(answers.get() + secondary.calls.get()).as("no request in panic").isEqualTo(sent);
		assertThat(primary.calls).hasValue(0);
	}

	@Test
	void whenASlowStartRefusesACallNoOtherEntryTakesThenTheRampingEntryTakesItEvenWithoutPanicMode() {
		Fake primary = new Fake(TIMEOUT, 2, "ok", this.clock);
		ResilientChatClient client = builder(primary.entry("primary")).panic(false, 50)
			.circuitBreaker(CircuitBreakerSettings.custom()
				.failureThreshold(2)
				.permittedNumberOfCallsInHalfOpenState(1)
				.slowStart(Duration.ofSeconds(30))
				.build())
			.build();
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> client.call(new Prompt("hi")));
		}
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(servedBy(client.call(new Prompt("probe")))).isEqualTo("primary");
		assertThat(client.circuitBreaker("primary").isSlowStarting()).isTrue();

		for (int i = 0; i < 20; i++) {
			ChatResponse response = client.call(new Prompt("hi " + i));
			assertThat(servedBy(response)).isEqualTo("primary");
			assertThat(response.getMetadata().<Boolean>get(FallbackMetadata.PANIC)).isNull();
		}
		assertThat(primary.calls).hasValue(23);
	}

	@Test
	void whenAPrimaryHangsThenItLeavesTheFallbackAThirdOfTheDeadline(CapturedLogs logs) {
		Fake primary = new Fake(TIMEOUT, Integer.MAX_VALUE, null, this.clock);
		primary.elapsedPerCall = Duration.ofSeconds(10);
		Fake secondary = new Fake(null, 0, "ok", this.clock);

		ChatResponse response = builder(primary.entry("primary"), secondary.entry("secondary"))
			.retry(RetrySettings.custom()
				.initialInterval(Duration.ofMillis(100))
				.maxInterval(Duration.ofSeconds(1))
				.jitter(false)
				.build())
			.circuitBreaker(CircuitBreakerSettings.DEFAULTS)
			.timeout(Duration.ofSeconds(10))
			.deadline(Duration.ofSeconds(30))
			.build()
			.call(new Prompt("hi"));

		assertThat(servedBy(response)).isEqualTo("secondary");
		assertThat(primary.timeouts).as("the second attempt is cut to leave 10 s; no third fits")
			.containsExactly(Duration.ofSeconds(10), Duration.ofMillis(9_900));
		assertThat(secondary.timeouts).as("what is left").containsExactly(Duration.ofMillis(9_900));
		assertThat(logs.toString()).contains("attempt 2/3 on 'primary' failed: TIMEOUT after 10000 ms; falling back to "
				+ "'secondary' (a wait of 200 ms does not fit the deadline)");
	}

	@Test
	void whenNoTimeIsLeftForTheNextEntryThenTheLogLineDoesNotSayFallingBack(CapturedLogs logs) {
		Fake primary = new Fake(TIMEOUT, Integer.MAX_VALUE, null, this.clock);
		primary.elapsedPerCall = Duration.ofSeconds(1);
		Fake secondary = new Fake(null, 0, "ok", this.clock);

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> builder(primary.entry("primary"), secondary.entry("secondary"))
				.timeout(Duration.ofSeconds(1))
				.deadline(Duration.ofSeconds(1))
				.fallbackFloor(Duration.ZERO)
				.build()
				.call(new Prompt("hi")));

		assertThat(logs.toString()).contains("no entry left (the deadline is reached)")
			.doesNotContain("falling back to 'secondary'");
		assertThat(secondary.calls).hasValue(0);
	}

	@Test
	void whenAnEntryIsAtItsConcurrencyLimitThenTheCallGoesOnWithoutCountingAgainstIt() throws Exception {
		CountDownLatch inside = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		EntryModel blocking = (prompt, timeout) -> {
			inside.countDown();
			await(release);
			return new ChatResponse(List.of(new Generation(new AssistantMessage("slow"))));
		};
		ResilientChatClient client = builder(ChainEntry.of("primary", "m", blocking),
				new Fake(null, 0, "ok", this.clock).entry("secondary"))
			.maxConcurrentCalls("primary", 1)
			.build();
		CompletableFuture<ChatResponse> first = CompletableFuture.supplyAsync(() -> client.call(new Prompt("one")));
		assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(client.inFlight("primary")).isEqualTo(1);

		ChatResponse second = client.call(new Prompt("two"));
		release.countDown();

		assertThat(servedBy(second)).isEqualTo("secondary");
		assertThat(second.getMetadata().<List<String>>get(FallbackMetadata.SKIPPED))
			.containsExactly("primary: concurrency limit of 1 reached");
		assertThat(servedBy(first.get(10, TimeUnit.SECONDS))).isEqualTo("primary");
		assertThat(client.circuitBreaker("primary").snapshot().failures()).isZero();
		assertThat(client.inFlight("primary")).isZero();
		assertThat(this.events).filteredOn(CallNotPermittedEvent.class::isInstance).hasSize(1);
	}

	@Test
	void whenAnEntrySaysThisSideIsOverloadedThenNothingIsRecordedAgainstItsCircuit() {
		EntryModel busy = (prompt, timeout) -> {
			throw new LocalOverloadException("All 4 threads of this entry are busy");
		};
		ResilientChatClient client = builder(ChainEntry.of("primary", "m", busy),
				new Fake(null, 0, "ok", this.clock).entry("secondary"))
			.build();

		for (int i = 0; i < 10; i++) {
			assertThat(servedBy(client.call(new Prompt("hi")))).isEqualTo("secondary");
		}

		assertThat(client.circuitBreaker("primary").snapshot().failures()).isZero();
		assertThat(client.circuitBreaker("primary").state()).isEqualTo(CircuitState.CLOSED);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.event.FellBackEvent;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The chain and its circuits, with fake entries and a fake clock.
 */
class ChainCircuitTests {

	private final MutableClock clock = new MutableClock();

	private final Entry primary = new Entry();

	private final Entry secondary = new Entry();

	private ResilientChatClient client = ResilientChatClient.builder()
		.entry(ChainEntry.of("primary", "a", this.primary))
		.entry(ChainEntry.of("secondary", "b", this.secondary))
		.retry(RetrySettings.custom().maxAttempts(1).build())
		.circuitBreaker(new CircuitBreakerSettings(2, Duration.ofSeconds(30), Duration.ofMinutes(5)))
		.classifier((ex) -> new Failure(FailureKind.SERVER_ERROR, 500, null))
		.clock(this.clock)
		.sleeper((duration) -> {
		})
		.build();

	private String servedBy() {
		return this.client.call(new Prompt("hi")).getMetadata().get(FallbackMetadata.SERVED_BY);
	}

	@Test
	void whenAnEntrysCircuitIsOpenThenNoRequestReachesIt() {
		this.primary.up.set(false);
		servedBy();
		servedBy();
		assertThat(this.client.circuitBreaker("primary").state()).isEqualTo(CircuitState.OPEN);

		for (int i = 0; i < 10; i++) {
			assertThat(servedBy()).isEqualTo("secondary");
		}

		assertThat(this.primary.calls).hasValue(2);
	}

	@Test
	void whenTheOpenPeriodEndsThenOneProbeGoesAndItsSuccessClosesTheCircuit() {
		this.primary.up.set(false);
		servedBy();
		servedBy();
		this.primary.up.set(true);
		this.clock.advance(Duration.ofSeconds(30));

		assertThat(servedBy()).isEqualTo("primary");

		assertThat(this.client.circuitBreaker("primary").state()).isEqualTo(CircuitState.CLOSED);
		assertThat(this.primary.calls).hasValue(3);
	}

	private void openBoth() {
		this.primary.up.set(false);
		this.secondary.up.set(false);
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(this::servedBy);
		}
		assertThat(this.client.getCircuitBreakers()).allSatisfy((b) -> assertThat(b.state()).isEqualTo(CircuitState.OPEN));
	}

	@Test
	void whenEveryCircuitIsOpenAndPanicModeIsOffThenCallsFailFastAndNoProviderIsHit() {
		this.client = this.client.mutate().panic(false, 50).build();
		openBoth();

		for (int i = 0; i < 20; i++) {
			assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(this::servedBy)
				.withMessageContaining("every circuit is open")
				.satisfies((ex) -> assertThat(ex.getAttempts()).isEmpty());
		}

		assertThat(this.primary.calls).hasValue(2);
		assertThat(this.secondary.calls).hasValue(2);
	}

	@Test
	void whenEveryCircuitIsOpenThenEachEntryAdmitsOneProbeOnceItsOpenPeriodEnds() {
		openBoth();
		this.clock.advance(Duration.ofSeconds(30));
		this.secondary.up.set(true);

		assertThat(servedBy()).as("the primary's probe fails, the secondary's succeeds").isEqualTo("secondary");
		assertThat(servedBy()).isEqualTo("secondary");

		assertThat(this.primary.calls).as("one probe, then open twice as long").hasValue(3);
		assertThat(this.secondary.calls).hasValue(4);
		assertThat(this.client.circuitBreaker("primary").state()).isEqualTo(CircuitState.OPEN);
	}

	@Test
	void whenEveryCircuitIsOpenUnderRetryAfterThenNoProbeGoesBeforeItEnds() {
		ResilientChatClient throttled = this.client.mutate()
			.classifier((ex) -> new Failure(FailureKind.RATE_LIMITED, 429, Duration.ofSeconds(60)))
			.build();
		this.primary.up.set(false);
		this.secondary.up.set(false);
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(AllModelsFailedException.class)
				.isThrownBy(() -> throttled.call(new Prompt("hi")));
		}

		for (int i = 0; i < 20; i++) {
			this.clock.advance(Duration.ofSeconds(2));
			assertThatExceptionOfType(AllModelsFailedException.class)
				.isThrownBy(() -> throttled.call(new Prompt("hi")));
		}
		assertThat(this.primary.calls.get() + this.secondary.calls.get())
			.as("40 s into a 60 s Retry-After: it kept every call away after the first request to each entry")
			.isEqualTo(2);

		this.clock.advance(Duration.ofSeconds(20));
		this.primary.up.set(true);
		assertThat(throttled.call(new Prompt("hi")).getMetadata().<String>get(FallbackMetadata.SERVED_BY))
			.isEqualTo("primary");
		assertThat(this.primary.calls).hasValue(2);
	}

	@Test
	void whenTheProbeThrowsAnErrorThenItsPermitIsReleased() {
		this.primary.up.set(false);
		servedBy();
		servedBy();
		this.clock.advance(Duration.ofSeconds(30));
		this.primary.failure.set(new StackOverflowError("simulated"));

		assertThatExceptionOfType(StackOverflowError.class).isThrownBy(this::servedBy);

		assertThat(this.client.circuitBreaker("primary").isAvailable()).as("no probe left hanging").isTrue();
		this.primary.failure.set(null);
		this.primary.up.set(true);
		assertThat(servedBy()).isEqualTo("primary");
		assertThat(this.client.circuitBreaker("primary").state()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void whenAnEntryThrowsANonFatalErrorThenItIsAFailedAttemptAndTheChainGoesOn() {
		this.primary.failure.set(new AssertionError("a bug in an adapter"));

		assertThat(servedBy()).isEqualTo("secondary");

		assertThat(this.client.circuitBreaker("primary").snapshot().failures()).isEqualTo(1);
	}

	@Test
	void whenTheClassifierThrowsThenTheAttemptIsABadRequestAndTheNextEntryServes() {
		ResilientChatClient broken = this.client.mutate().classifier((ex) -> {
			throw new IllegalStateException("classifier bug");
		}).build();
		this.primary.up.set(false);

		ChatResponse response = broken.call(new Prompt("hi"));

		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("BAD_REQUEST");
	}

	@Test
	void whenTheClassifierReturnsNullThenTheAttemptIsABadRequestAndTheNextEntryServes() {
		ResilientChatClient broken = this.client.mutate().classifier((ex) -> null).build();
		this.primary.up.set(false);

		assertThat(broken.call(new Prompt("hi")).getMetadata().<String>get(FallbackMetadata.SERVED_BY))
			.isEqualTo("secondary");
	}

	@Test
	void whenTheJitterSourceThrowsThenTheEntryFallsBackInsteadOfFailingTheCall() {
		ResilientChatClient broken = this.client.mutate()
			.retry(RetrySettings.custom()
				.initialInterval(Duration.ofMillis(100))
				.maxInterval(Duration.ofSeconds(1))
				.build())
			.random(() -> {
				throw new IllegalStateException("random bug");
			})
			.build();
		this.primary.up.set(false);

		assertThat(broken.call(new Prompt("hi")).getMetadata().<String>get(FallbackMetadata.SERVED_BY))
			.isEqualTo("secondary");
		assertThat(this.primary.calls).hasValue(1);
	}

	@Test
	void whenAListenerThrowsAnErrorThenTheCallStillSucceeds() {
		ResilientChatClient listening = this.client.mutate().listener((event) -> {
			throw new NoClassDefFoundError("a listener's missing class");
		}).build();
		this.primary.up.set(false);

		assertThat(listening.call(new Prompt("hi")).getMetadata().<String>get(FallbackMetadata.SERVED_BY))
			.isEqualTo("secondary");
	}

	@Test
	void whenAnOperatorForcesAnEntryOpenThenItIsSkippedUntilReset() {
		this.client.circuitBreaker("primary").forceOpen();

		assertThat(servedBy()).isEqualTo("secondary");
		assertThat(this.primary.calls).hasValue(0);

		this.client.circuitBreaker("primary").reset();
		assertThat(servedBy()).isEqualTo("primary");
	}

	@Test
	void whenTheNextEntryIsForcedOpenThenTheFallbackEventNamesTheEntryActuallyReached() {
		List<FallbackEvent> events = new java.util.ArrayList<>();
		Entry tertiary = new Entry();
		ResilientChatClient three = this.client.mutate()
			.entry(ChainEntry.of("tertiary", "c", tertiary))
			.listener(events::add)
			.build();
		three.circuitBreaker("secondary").forceOpen();
		this.primary.up.set(false);

		assertThat(three.call(new Prompt("hi")).getMetadata().<String>get(FallbackMetadata.SERVED_BY))
			.isEqualTo("tertiary");
		assertThat(events).filteredOn(FellBackEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> assertThat(((FellBackEvent) event).next()).isEqualTo("tertiary"));
	}

	@Test
	void whenOtherCallsOpenTheCircuitDuringTheBackoffThenTheEntryIsNotRetried() {
		AtomicInteger waits = new AtomicInteger();
		ResilientChatClient[] holder = new ResilientChatClient[1];
		holder[0] = this.client.mutate()
			.retry(RetrySettings.custom()
				.maxAttempts(5)
				.initialInterval(Duration.ofMillis(10))
				.multiplier(1.0)
				.maxInterval(Duration.ofSeconds(1))
				.jitter(false)
				.build())
			.circuitBreaker(new CircuitBreakerSettings(50, Duration.ofSeconds(30), Duration.ofMinutes(5)))
			.sleeper((duration) -> {
				waits.incrementAndGet();
				holder[0].circuitBreaker("primary").forceOpen();
			})
			.build();
		this.primary.up.set(false);

		assertThat(holder[0].call(new Prompt("hi")).getMetadata().<String>get(FallbackMetadata.SERVED_BY))
			.isEqualTo("secondary");
		assertThat(this.primary.calls).hasValue(1);
		assertThat(waits).hasValue(1);
	}

	@Test
	void whenTheCircuitOpensDuringRetriesThenTheEntryIsLeftAtOnce() {
		ResilientChatClient retrying = this.client.mutate()
			.retry(RetrySettings.custom()
				.maxAttempts(5)
				.initialInterval(Duration.ZERO)
				.multiplier(1.0)
				.maxInterval(Duration.ofSeconds(1))
				.jitter(false)
				.build())
			.build();
		this.primary.up.set(false);

		ChatResponse response = retrying.call(new Prompt("hi"));

		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		assertThat(this.primary.calls).as("threshold 2 opens the circuit after the second attempt").hasValue(2);
	}

	static final class Entry implements EntryModel {

		final AtomicBoolean up = new AtomicBoolean(true);

		final AtomicInteger calls = new AtomicInteger();

		final AtomicReference<Error> failure = new AtomicReference<>();

		@Override
		public ChatResponse call(Prompt prompt, Duration timeout) {
			this.calls.incrementAndGet();
			if (this.failure.get() != null) {
				throw this.failure.get();
			}
			if (!this.up.get()) {
				throw new IllegalStateException("down");
			}
			return new ChatResponse(List.of(new Generation(new AssistantMessage("ok"))));
		}

	}

}

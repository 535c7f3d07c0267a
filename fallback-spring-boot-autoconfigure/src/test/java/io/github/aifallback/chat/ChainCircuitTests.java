package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain and its circuits, with fake entries and a fake clock.
 */
class ChainCircuitTests {

	private final MutableClock clock = new MutableClock();

	private final Entry primary = new Entry();

	private final Entry secondary = new Entry();

	private final ResilientChatClient client = ResilientChatClient.builder()
		.entry(ChainEntry.of("primary", "a", this.primary))
		.entry(ChainEntry.of("secondary", "b", this.secondary))
		.retry(new RetrySettings(1, Duration.ZERO, 1.0, Duration.ofSeconds(1), false, true, 8))
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

	@Test
	void whenEveryCircuitIsOpenThenEachEntryIsStillTriedOnceInOrder() {
		this.primary.up.set(false);
		this.secondary.up.set(false);
		for (int i = 0; i < 2; i++) {
			try {
				servedBy();
			}
			catch (AllModelsFailedException expected) {
			}
		}
		assertThat(this.client.getCircuitBreakers()).allSatisfy((b) -> assertThat(b.state()).isEqualTo(CircuitState.OPEN));
		this.secondary.up.set(true);

		assertThat(servedBy()).isEqualTo("secondary");
		assertThat(this.primary.calls).hasValue(3);
		assertThat(this.secondary.calls).hasValue(3);
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
			.retry(new RetrySettings(5, Duration.ofMillis(10), 1.0, Duration.ofSeconds(1), false, true, 8))
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
			.retry(new RetrySettings(5, Duration.ZERO, 1.0, Duration.ofSeconds(1), false, true, 8))
			.build();
		this.primary.up.set(false);

		ChatResponse response = retrying.call(new Prompt("hi"));

		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		assertThat(this.primary.calls).as("threshold 2 opens the circuit after the second attempt").hasValue(2);
	}

	static final class Entry implements EntryModel {

		final AtomicBoolean up = new AtomicBoolean(true);

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public ChatResponse call(Prompt prompt, Duration timeout) {
			this.calls.incrementAndGet();
			if (!this.up.get()) {
				throw new IllegalStateException("down");
			}
			return new ChatResponse(List.of(new Generation(new AssistantMessage("ok"))));
		}

	}

}

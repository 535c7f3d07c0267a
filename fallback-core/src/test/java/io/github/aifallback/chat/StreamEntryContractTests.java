package io.github.aifallback.chat;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.model.ChatModelEntryModel;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the chain asks of an entry model's stream (issue 20): one that throws instead of
 * signalling fails its attempt like any failure (fallback, its probe permit ended), and a
 * clean end without a finish reason is judged by the kind of entry.
 */
class StreamEntryContractTests {

	private final MutableClock clock = new MutableClock();

	private static ChatResponse chunk(String text, String finish) {
		return new ChatResponse(List.of(new Generation(new AssistantMessage(text),
				ChatGenerationMetadata.builder().finishReason(finish).build())));
	}

	private static final EntryModel HEALTHY = new EntryModel() {

		@Override
		public ChatResponse call(Prompt prompt, Duration timeout) {
			return chunk("fine", "stop");
		}

		@Override
		public Flux<ChatResponse> stream(Prompt prompt, Duration timeLeft) {
			return Flux.just(chunk("fi", null), chunk("ne", "stop"));
		}

	};

	private final AtomicInteger thrown = new AtomicInteger();

	private final EntryModel throwing = new EntryModel() {

		@Override
		public ChatResponse call(Prompt prompt, Duration timeout) {
			throw new IllegalStateException("unused");
		}

		@Override
		public Flux<ChatResponse> stream(Prompt prompt, Duration timeLeft) {
			StreamEntryContractTests.this.thrown.incrementAndGet();
			throw new UncheckedIOException(new ConnectException("refused"));
		}

	};

	private ResilientChatClient client(EntryModel primary) {
		return ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "a", primary))
			.entry(ChainEntry.of("secondary", "b", HEALTHY))
			.retry(RetrySettings.custom().maxAttempts(1).build())
			.circuitBreaker(new CircuitBreakerSettings(1, Duration.ofSeconds(10), Duration.ofMinutes(1)))
			.clock(this.clock)
			.sleeper((wait) -> {
			})
			.build();
	}

	private static String text(List<ChatResponse> chunks) {
		StringBuilder text = new StringBuilder();
		chunks.forEach((chunk) -> text.append(chunk.getResult().getOutput().getText()));
		return text.toString();
	}

	@Test
	void whenAnEntryModelsStreamThrowsThenTheChainFallsBackAndRecordsTheFailure() {
		ResilientChatClient client = client(this.throwing);

		List<ChatResponse> chunks = client.stream(new Prompt("hi")).collectList().block(Duration.ofSeconds(5));

		assertThat(text(chunks)).isEqualTo("fine");
		assertThat(chunks.get(0).getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		assertThat(client.circuitBreaker("primary").snapshot().lastFailureKind()).isEqualTo(FailureKind.CONNECTION);
		assertThat(this.thrown).hasValue(1);
	}

	@Test
	void whenTheHalfOpenProbesStreamThrowsThenTheProbeEndsAndTheCircuitReopens() {
		ResilientChatClient client = client(this.throwing);
		CircuitBreaker breaker = client.circuitBreaker("primary");
		breaker.recordFailure(Failure.of(FailureKind.SERVER_ERROR), breaker.acquire());
		assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
		this.clock.advance(Duration.ofSeconds(11));

		List<ChatResponse> chunks = client.stream(new Prompt("hi")).collectList().block(Duration.ofSeconds(5));

		assertThat(text(chunks)).isEqualTo("fine");
		assertThat(this.thrown).as("the probe was sent").hasValue(1);
		assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
	}

	@Test
	void whenAChatModelBeansStreamEndsCleanlyWithoutAFinishReasonThenItIsTheWholeAnswer() {
		ChatModel noFinishReason = new ChatModel() {

			@Override
			public ChatResponse call(Prompt prompt) {
				return chunk("unused", null);
			}

			@Override
			public Flux<ChatResponse> stream(Prompt prompt) {
				return Flux.just(chunk("Hel", null), chunk("lo", null));
			}

		};
		ResilientChatClient client = client(ChatModelEntryModel.of(noFinishReason));

		List<ChatResponse> chunks = client.stream(new Prompt("hi")).collectList().block(Duration.ofSeconds(5));

		assertThat(text(chunks)).isEqualTo("Hello");
		assertThat(chunks).allSatisfy((chunk) -> assertThat(chunk.getMetadata().<String>get(FallbackMetadata.SERVED_BY))
			.isEqualTo("primary"));
	}

	@Test
	void whenAModelThatReportsFinishReasonsEndsWithoutOneThenTheErrorSaysHowToFixIt() {
		EntryModel noFinishReason = (prompt, timeout) -> chunk("Hello", null);
		ResilientChatClient client = ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "a", noFinishReason))
			.clock(this.clock)
			.build();

		StepVerifier.create(client.stream(new Prompt("hi")))
			.expectNextCount(1)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(StreamInterruptedException.class)
				.cause()
				.hasMessageContaining("EntryModel#reportsFinishReason()"))
			.verify(Duration.ofSeconds(5));
	}

}

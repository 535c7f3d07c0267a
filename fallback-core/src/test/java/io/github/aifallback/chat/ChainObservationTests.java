package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.model.ChatModelEntryModel;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain's observations without HTTP: no work at all with the no-op registry, and the
 * attempt's observation current on the thread where a {@code ChatModel} entry runs (its own
 * pool, not the caller's thread).
 */
class ChainObservationTests {

	@Test
	void whenTheRegistryIsNoopThenNoObservationWorkIsDone() {
		CountingNoopRegistry registry = new CountingNoopRegistry();
		ResilientChatClient client = ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "model-a", (prompt, timeout) -> answer("from A")))
			.observationRegistry(registry)
			.build();

		client.call(new Prompt("hi"));
		client.stream(new Prompt("hi")).blockLast();

		// One look per call: is the registry a no-op? Nothing else is asked of it.
		assertThat(registry.noopChecks).hasValue(2);
		assertThat(registry.otherCalls).hasValue(0);
	}

	@Test
	void whenAChatModelEntryRunsOnItsOwnThreadsThenTheAttemptIsItsCurrentObservation() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		List<String> seen = new CopyOnWriteArrayList<>();
		ChatModel chatModel = new ChatModel() {

			@Override
			public ChatResponse call(Prompt prompt) {
				Observation current = registry.getCurrentObservation();
				seen.add(Thread.currentThread().getName().startsWith("ai-fallback-") + " "
						+ ((current != null) ? current.getContext().getName() : "none"));
				return answer("from the model");
			}

		};
		ResilientChatClient client = ResilientChatClient.builder()
			.entry(ChainEntry.of("local", "llama", ChatModelEntryModel.builder(chatModel).name("local").build()))
			.timeout(Duration.ofSeconds(5))
			.observationRegistry(registry)
			.build();

		client.call(new Prompt("hi"));
		client.stream(new Prompt("hi")).blockLast();

		assertThat(seen).containsExactly("true ai.fallback.attempt", "true ai.fallback.attempt");
		registry.assertThat().hasNumberOfObservationsWithNameEqualTo("ai.fallback.call", 2);
	}

	@Test
	void whenTheSubscriberCancelsTheStreamThenTheCallAndItsAttemptAreObservedCancelled() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		EntryModel twoChunks = new EntryModel() {

			@Override
			public ChatResponse call(Prompt prompt, Duration timeout) {
				return answer("whole");
			}

			@Override
			public Flux<ChatResponse> stream(Prompt prompt, Duration timeLeft) {
				return Flux.just(new ChatResponse(List.of(new Generation(new AssistantMessage("Hel")))), answer("lo"));
			}

		};
		ResilientChatClient client = ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "model-a", twoChunks))
			.observationRegistry(registry)
			.build();

		client.stream(new Prompt("hi")).take(1).blockLast();

		registry.assertThat()
			.hasObservationWithNameEqualTo("ai.fallback.call")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("outcome", "cancelled");
		registry.assertThat()
			.hasObservationWithNameEqualTo("ai.fallback.attempt")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("result", "cancelled")
			.hasLowCardinalityKeyValue("action", "none");
	}

	private static ChatResponse answer(String text) {
		// With a finish reason: a stream that ends without one is incomplete.
		return new ChatResponse(List.of(new Generation(new AssistantMessage(text),
				ChatGenerationMetadata.builder().finishReason("STOP").build())));
	}

	/** Says it is a no-op, and counts whatever else it is asked. */
	static final class CountingNoopRegistry implements ObservationRegistry {

		final AtomicInteger noopChecks = new AtomicInteger();

		final AtomicInteger otherCalls = new AtomicInteger();

		@Override
		public boolean isNoop() {
			this.noopChecks.incrementAndGet();
			return true;
		}

		@Override
		public Observation getCurrentObservation() {
			this.otherCalls.incrementAndGet();
			return null;
		}

		@Override
		public Observation.Scope getCurrentObservationScope() {
			this.otherCalls.incrementAndGet();
			return null;
		}

		@Override
		public void setCurrentObservationScope(Observation.Scope current) {
			this.otherCalls.incrementAndGet();
		}

		@Override
		public ObservationConfig observationConfig() {
			this.otherCalls.incrementAndGet();
			return ObservationRegistry.NOOP.observationConfig();
		}

	}

}

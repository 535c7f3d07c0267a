package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static io.github.aifallback.chat.OpenAiStubs.sse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hedged race is observed as two attempts, each a child of the call with its own outcome
 * (the winner's {@code success}, the loser's {@code cancelled}), and every observation the
 * chain starts is stopped, for blocking calls and streams alike.
 */
class HedgingObservationHttpTests {

	@RegisterExtension
	static WireMockExtension primary = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension secondary = OpenAiStubs.provider();

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final Lifecycle lifecycle = new Lifecycle();

	HedgingObservationHttpTests() {
		this.registry.observationConfig().observationHandler(this.lifecycle);
	}

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(primary);
	}

	private ResilientChatClient hedged() {
		return ResilientChatClient.builder()
			.entry(new ChainEntry("primary", "model-a", entryModel(primary, "model-a"), null, 1)
				.withHedge(HedgeSettings.after(Duration.ofMillis(50))))
			.entry(new ChainEntry("secondary", "model-b", entryModel(secondary, "model-b"), null, 1))
			.timeout(Duration.ofSeconds(5))
			.deadline(Duration.ofSeconds(20))
			.sleeper((wait) -> {
			})
			.observationRegistry(this.registry)
			.build();
	}

	private OpenAiEntryModel entryModel(WireMockExtension provider, String model) {
		return OpenAiEntryModel.builder()
			.baseUrl(baseUrl(provider))
			.apiKey("k")
			.model(model)
			.timeout(Duration.ofSeconds(5))
			.observationRegistry(this.registry)
			.build();
	}

	@Test
	void whenTheHedgeWinsABlockingCallThenBothAttemptsAreObservedAndStoppedWithTheirOutcomes() {
		primary.stubFor(completion("model-a").willReturn(answer("model-a", "from A").withFixedDelay(2000)));
		secondary.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		try (ResilientChatClient client = hedged()) {
			ChatResponse response = client.call(new Prompt("hello"));

			assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
		}
		assertRace(Map.of("primary", "cancelled", "secondary", "success"), "secondary");
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenThePrimaryWinsABlockingCallThenTheHedgesAttemptIsStoppedCancelled() {
		primary.stubFor(completion("model-a").willReturn(answer("model-a", "from A").withFixedDelay(300)));
		secondary.stubFor(completion("model-b").willReturn(answer("model-b", "from B").withFixedDelay(3000)));
		try (ResilientChatClient client = hedged()) {
			ChatResponse response = client.call(new Prompt("hello"));

			assertThat(response.getResult().getOutput().getText()).isEqualTo("from A");
		}
		assertRace(Map.of("primary", "success", "secondary", "cancelled"), "primary");
	}

	@Test
	void whenTheHedgeWinsAStreamThenBothAttemptsAreObservedAndStoppedWithTheirOutcomes() {
		primary.stubFor(completion("model-a").willReturn(sse("model-a", "slow ", "A").withFixedDelay(2000)));
		secondary.stubFor(completion("model-b").willReturn(sse("model-b", "fast ", "B")));
		try (ResilientChatClient client = hedged()) {
			List<ChatResponse> chunks = client.stream(new Prompt("hello")).collectList().block(Duration.ofSeconds(10));

			assertThat(chunks).isNotEmpty();
		}
		assertRace(Map.of("primary", "cancelled", "secondary", "success"), "secondary");
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
	}

	/** One call, served by {@code servedBy}; one attempt per entry, each with its outcome; all stopped. */
	@Test
	void whenBothSidesOfAStreamRaceFailAndThePrimaryRetriesThenTheWaitIsObserved() {
		// The primary fails while the hedge still runs, then the hedge fails: the primary's
		// retry decision is acted on only when the race ends.
		primary.stubFor(completion("model-a").inScenario("retry")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(WireMock.serverError().withFixedDelay(300))
			.willSetStateTo("answering"));
		primary.stubFor(completion("model-a").inScenario("retry")
			.whenScenarioStateIs("answering")
			.willReturn(sse("model-a", "retried ", "A")));
		secondary.stubFor(completion("model-b").willReturn(WireMock.serverError().withFixedDelay(800)));
		try (ResilientChatClient client = ResilientChatClient.builder()
			.entry(new ChainEntry("primary", "model-a", entryModel(primary, "model-a"), null, 2)
				.withHedge(HedgeSettings.after(Duration.ofMillis(50))))
			.entry(new ChainEntry("secondary", "model-b", entryModel(secondary, "model-b"), null, 1))
			.timeout(Duration.ofSeconds(5))
			.deadline(Duration.ofSeconds(20))
			.observationRegistry(this.registry)
			.build()) {
			List<ChatResponse> chunks = client.stream(new Prompt("hello")).collectList().block(Duration.ofSeconds(15));

			assertThat(chunks).isNotEmpty();
			assertThat(chunks.get(chunks.size() - 1).getMetadata().<String>get(FallbackMetadata.SERVED_BY))
				.isEqualTo("primary");
		}
		primary.verify(2, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
		this.registry.assertThat().hasNumberOfObservationsWithNameEqualTo(CallObservation.BACKOFF, 1);
		List<Observation.Context> chains = this.lifecycle.started.stream()
			.filter((context) -> context.getName().startsWith("ai.fallback."))
			.toList();
		assertThat(this.lifecycle.stopped).as("every observation the chain started is stopped").containsAll(chains);
	}

	private void assertRace(Map<String, String> outcomes, String servedBy) {
		this.registry.assertThat()
			.hasNumberOfObservationsWithNameEqualTo("ai.fallback.call", 1)
			.hasNumberOfObservationsWithNameEqualTo("ai.fallback.attempt", 2)
			.hasObservationWithNameEqualTo("ai.fallback.call")
			.that()
			.hasLowCardinalityKeyValue("outcome", "served")
			.hasLowCardinalityKeyValue("served.by", servedBy);
		List<Observation.Context> chains = this.lifecycle.started.stream()
			.filter((context) -> context.getName().startsWith("ai.fallback."))
			.toList();
		assertThat(chains).hasSize(3);
		assertThat(this.lifecycle.stopped).as("every observation the chain started is stopped").containsAll(chains);
		this.registry.assertThat().hasHandledContextsThatSatisfy((contexts) -> {
			Observation.Context call = contexts.stream()
				.filter((context) -> "ai.fallback.call".equals(context.getName()))
				.findFirst()
				.orElseThrow();
			List<Observation.Context> attempts = contexts.stream()
				.filter((context) -> "ai.fallback.attempt".equals(context.getName()))
				.toList();
			assertThat(attempts).allSatisfy((attempt) -> assertThat(parent(attempt)).isSameAs(call));
			assertThat(attempts.stream()
				.collect(Collectors.toMap((attempt) -> key(attempt, "entry"),
						(attempt) -> key(attempt, "result"))))
				.isEqualTo(outcomes);
		});
	}

	private static String key(Observation.Context context, String name) {
		KeyValue value = context.getLowCardinalityKeyValue(name);
		return (value != null) ? value.getValue() : null;
	}

	/** Which observations started, and which stopped. */
	static final class Lifecycle implements ObservationHandler<Observation.Context> {

		final List<Observation.Context> started = new CopyOnWriteArrayList<>();

		final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		@Override
		public void onStart(Observation.Context context) {
			this.started.add(context);
		}

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

	private static Observation.Context parent(Observation.Context context) {
		ObservationView parent = context.getParentObservation();
		return (parent != null) ? (Observation.Context) parent.getContextView() : null;
	}

}

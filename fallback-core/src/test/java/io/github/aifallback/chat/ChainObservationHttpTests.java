package io.github.aifallback.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.observation.DefaultFallbackAttemptObservationConvention;
import io.github.aifallback.chat.observation.DefaultFallbackCallObservationConvention;
import io.github.aifallback.chat.observation.FallbackCallObservationContext;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static io.github.aifallback.chat.OpenAiStubs.sse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain's observations over real HTTP, with the real OpenAI client: one
 * {@code ai.fallback.call} per call, its attempts and waits as children in order, and Spring
 * AI's own {@code gen_ai.client.operation} observations under the attempts that made them.
 */
class ChainObservationHttpTests {

	private static final String GEN_AI = "gen_ai.client.operation";

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final List<Duration> waits = new ArrayList<>();

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(provider);
	}

	private ResilientChatClient.Builder client(Duration backoff) {
		return ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "model-a", entryModel("model-a")))
			.entry(ChainEntry.of("secondary", "model-b", entryModel("model-b")))
			.retry(RetrySettings.custom()
				.maxAttempts(2)
				.initialInterval(backoff)
				.multiplier(1.0)
				.maxInterval(Duration.ofSeconds(1))
				.jitter(false)
				.build())
			.sleeper(this.waits::add)
			.observationRegistry(this.registry);
	}

	private OpenAiEntryModel entryModel(String model) {
		return OpenAiEntryModel.builder()
			.baseUrl(baseUrl(provider))
			.apiKey("k")
			.model(model)
			.timeout(Duration.ofSeconds(5))
			.observationRegistry(this.registry)
			.build();
	}

	@Test
	void whenTheCallRetriesAndFallsBackThenOneCallObservationHoldsItsAttemptsTheWaitAndSpringAisObservations() {
		provider.stubFor(completion("model-a").willReturn(serverError()));
		provider.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));

		ChatResponse response = client(Duration.ofMillis(200)).build().call(new Prompt("hi"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
		provider.verify(2, requestsFor("model-a"));
		provider.verify(1, requestsFor("model-b"));
		assertThat(this.waits).containsExactly(Duration.ofMillis(200));
		assertStructure("call");
	}

	@Test
	void whenTheStreamRetriesAndFallsBackThenOneCallObservationHoldsItsAttemptsTheWaitAndSpringAisObservations() {
		provider.stubFor(completion("model-a").willReturn(serverError()));
		provider.stubFor(completion("model-b").willReturn(sse("model-b", "from ", "B")));

		// A stream waits on a Reactor timer, not the sleeper: 1 ms keeps the test fast.
		List<ChatResponse> chunks = client(Duration.ofMillis(1)).build().stream(new Prompt("hi")).collectList().block();

		assertThat(chunks).isNotEmpty();
		provider.verify(2, requestsFor("model-a"));
		provider.verify(1, requestsFor("model-b"));
		assertStructure("stream");
	}

	private void assertStructure(String operation) {
		this.registry.assertThat().hasNumberOfObservationsWithNameEqualTo("ai.fallback.call", 1);
		this.registry.assertThat().hasHandledContextsThatSatisfy((contexts) -> {
			Observation.Context call = single(contexts, named("ai.fallback.call"));
			assertThat(keys(call)).containsExactlyInAnyOrderEntriesOf(Map.of("operation", operation,
					"outcome", "served", "served.by", "secondary"));
			assertThat(call.getHighCardinalityKeyValue("ai.fallback.attempts").getValue()).isEqualTo("3");
			assertThat(call.getParentObservation()).isNull();

			List<Observation.Context> attempts = all(contexts, named("ai.fallback.attempt"));
			assertThat(attempts).hasSize(3).allSatisfy((attempt) -> assertThat(parent(attempt)).isSameAs(call));
			assertThat(attempts).extracting(ChainObservationHttpTests::keys)
				.containsExactly(
						Map.of("entry", "primary", "model", "model-a", "result",
								"server_error", "action", "retry"),
						Map.of("entry", "primary", "model", "model-a", "result",
								"server_error", "action", "fall_back"),
						Map.of("entry", "secondary", "model", "model-b", "result",
								"success", "action", "none"));
			assertThat(attempts).extracting((attempt) -> attempt.getHighCardinalityKeyValue("ai.fallback.attempt")
				.getValue()).containsExactly("1", "2", "1");

			Observation.Context backoff = single(contexts, named("ai.fallback.backoff"));
			assertThat(parent(backoff)).isSameAs(call);
			assertThat(keys(backoff)).containsExactlyEntriesOf(Map.of("entry", "primary"));
			// The wait lies between the first and the second attempt.
			assertThat(contexts.indexOf(backoff)).isGreaterThan(contexts.indexOf(attempts.get(0)))
				.isLessThan(contexts.indexOf(attempts.get(1)));

			List<Observation.Context> genAi = all(contexts, named(GEN_AI));
			assertThat(genAi).hasSize(3);
			for (int i = 0; i < 3; i++) {
				assertThat(parent(genAi.get(i))).as("parent of Spring AI's observation %d", i)
					.isSameAs(attempts.get(i));
			}
		});
	}

	@Test
	void whenEveryEntryFailsAndTheDegradedMessageIsServedThenTheCallIsObservedDegradedByCache() {
		provider.stubFor(completion("model-a").willReturn(serverError()));
		provider.stubFor(completion("model-b").willReturn(serverError()));

		ChatResponse response = client(Duration.ZERO)
			.retry(RetrySettings.custom().maxAttempts(1).build())
			.degradedMessage("Try again later")
			.build()
			.call(new Prompt("hi"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("Try again later");
		this.registry.assertThat()
			.hasNumberOfObservationsWithNameEqualTo("ai.fallback.attempt", 2)
			.hasNumberOfObservationsWithNameEqualTo("ai.fallback.backoff", 0)
			.hasObservationWithNameEqualTo("ai.fallback.call")
			.that()
			.hasLowCardinalityKeyValue("outcome", "degraded")
			.hasLowCardinalityKeyValue("served.by", "cache")
			.hasBeenStopped();
	}

	@Test
	void whenACustomConventionIsSetThenItNamesTheCallAndItsKeyValues() {
		provider.stubFor(completion("model-a").willReturn(answer("model-a", "from A")));
		DefaultFallbackCallObservationConvention custom = new DefaultFallbackCallObservationConvention() {

			@Override
			public String getName() {
				return "shop.assistant.call";
			}

			@Override
			public KeyValues getLowCardinalityKeyValues(FallbackCallObservationContext context) {
				return super.getLowCardinalityKeyValues(context).and(KeyValue.of("team", "shop"));
			}

		};
		DefaultFallbackAttemptObservationConvention attempts = new DefaultFallbackAttemptObservationConvention() {

			@Override
			public String getName() {
				return "shop.assistant.attempt";
			}

		};

		client(Duration.ZERO).callObservationConvention(custom)
			.attemptObservationConvention(attempts)
			.build()
			.call(new Prompt("hi"));

		this.registry.assertThat()
			.hasNumberOfObservationsWithNameEqualTo("ai.fallback.call", 0)
			.hasNumberOfObservationsWithNameEqualTo("ai.fallback.attempt", 0)
			.hasNumberOfObservationsWithNameEqualTo("shop.assistant.attempt", 1)
			.hasObservationWithNameEqualTo("shop.assistant.call")
			.that()
			.hasLowCardinalityKeyValue("team", "shop")
			.hasLowCardinalityKeyValue("served.by", "primary");
	}

	private static Predicate<Observation.Context> named(String name) {
		return (context) -> name.equals(context.getName());
	}

	private static Observation.Context single(List<Observation.Context> contexts, Predicate<Observation.Context> test) {
		List<Observation.Context> found = all(contexts, test);
		assertThat(found).hasSize(1);
		return found.get(0);
	}

	private static List<Observation.Context> all(List<Observation.Context> contexts,
			Predicate<Observation.Context> test) {
		return contexts.stream().filter(test).toList();
	}

	private static Observation.Context parent(Observation.Context context) {
		ObservationView parent = context.getParentObservation();
		return (parent != null) ? (Observation.Context) parent.getContextView() : null;
	}

	private static Map<String, String> keys(Observation.Context context) {
		return context.getLowCardinalityKeyValues()
			.stream()
			.collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
	}

}

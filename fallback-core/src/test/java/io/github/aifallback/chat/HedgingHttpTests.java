package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.function.FunctionToolCallback;

import io.github.aifallback.chat.event.AttemptFailedEvent;
import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.event.HedgeEvent;
import io.github.aifallback.chat.openai.OpenAiEntryModel;

import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hedged blocking calls through the real OpenAI client over real HTTP: a slow primary
 * (WireMock's fixed delay) is raced against the next entry after the hedge delay. Timings
 * are not asserted; which entry served, the requests each provider received, the metadata,
 * the events and the circuits are.
 */
class HedgingHttpTests {

	private static final Duration SLOW = Duration.ofSeconds(2);

	@RegisterExtension
	static WireMockExtension primary = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension secondary = OpenAiStubs.provider();

	private static OpenAiEntryModel primaryModel;

	private static OpenAiEntryModel secondaryModel;

	private final List<FallbackEvent> events = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void entryModels() {
		OpenAiStubs.warmUp(primary);
		primaryModel = OpenAiEntryModel.create(baseUrl(primary), "test-key", "model-a", Duration.ofSeconds(5));
		secondaryModel = OpenAiEntryModel.create(baseUrl(secondary), "test-key", "model-b", Duration.ofSeconds(5));
	}

	@BeforeEach
	void secondaryAnswers() {
		secondary.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
	}

	private ResilientChatClient.Builder chain(HedgeSettings hedge) {
		return ResilientChatClient.builder()
			.entry(new ChainEntry("primary", "model-a", primaryModel, null, 1).withHedge(hedge))
			.entry(new ChainEntry("secondary", "model-b", secondaryModel, null, 1))
			.timeout(Duration.ofSeconds(5))
			.deadline(Duration.ofSeconds(20))
			.sleeper((wait) -> {
			})
			.listener(this.events::add);
	}

	@Test
	void whenTheEntryIsNotHedgedThenASlowAnswerIsWaitedForWithNoSecondRequest() {
		primary.stubFor(completion("model-a").willReturn(answer("model-a", "from A").withFixedDelay(300)));
		try (ResilientChatClient client = chain(null).build()) {
			ChatResponse response = client.call(new Prompt("hello"));

			assertThat(response.getResult().getOutput().getText()).isEqualTo("from A");
			assertThat(response.getMetadata().containsKey(FallbackMetadata.HEDGED)).isFalse();
			assertThat(client.runtime.hedging).isNull();
		}
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(0, requestsFor("model-b"));
	}

	@Test
	void whenTheHedgedEntryIsSlowThenTheNextEntryServesAndTheSlowOneIsCancelled() {
		primary.stubFor(completion("model-a").willReturn(answer("model-a", "from A").withFixedDelay((int) SLOW.toMillis())));
		try (ResilientChatClient client = chain(HedgeSettings.after(Duration.ofMillis(50))).build()) {
			ChatResponse response = client.call(new Prompt("hello"));

			assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
			assertThat((String) response.getMetadata().get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
			assertThat((Boolean) response.getMetadata().get(FallbackMetadata.HEDGED)).isTrue();
			assertThat((List<String>) response.getMetadata().get(FallbackMetadata.HEDGED_ENTRIES))
				.containsExactly("primary", "secondary");
			assertThat((List<String>) response.getMetadata().get(FallbackMetadata.FAILED_ATTEMPTS)).isEmpty();
			// The loser gave its permit back without a failure; the winner's success counts.
			assertThat(client.circuitBreaker("primary").snapshot().consecutiveFailures()).isZero();
			assertThat(client.circuitBreaker("primary").snapshot().successes()).isZero();
			assertThat(client.circuitBreaker("secondary").snapshot().successes()).isEqualTo(1);
			assertThat(this.events).filteredOn(HedgeEvent.class::isInstance)
				.map((event) -> (HedgeEvent) event)
				.extracting(HedgeEvent::entry, HedgeEvent::hedge, HedgeEvent::won)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("primary", false, false),
						org.assertj.core.groups.Tuple.tuple("secondary", true, true));
			assertThat(this.events).noneMatch(AttemptFailedEvent.class::isInstance);
		}
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenTheNextEntryCannotServeTheRequestThenNoHedgeIsSentToIt() {
		primary.stubFor(completion("model-a").willReturn(answer("model-a", "from A").withFixedDelay(300)));
		ToolCallingChatOptions withTool = ToolCallingChatOptions.builder()
			.toolCallbacks(FunctionToolCallback.builder("weather", (String city) -> "sunny")
				.description("The weather in a city")
				.inputType(String.class)
				.build())
			.build();
		try (ResilientChatClient client = ResilientChatClient.builder()
			.entry(new ChainEntry("primary", "model-a", primaryModel, null, 1)
				.withHedge(HedgeSettings.after(Duration.ofMillis(50))))
			.entry(new ChainEntry("secondary", "model-b", secondaryModel, null, 1).withCapabilities(Set.of()))
			.timeout(Duration.ofSeconds(5))
			.deadline(Duration.ofSeconds(20))
			.build()) {
			ChatResponse response = client.call(new Prompt("hello", withTool));

			assertThat((String) response.getMetadata().get(FallbackMetadata.SERVED_BY)).isEqualTo("primary");
			assertThat(response.getMetadata().containsKey(FallbackMetadata.HEDGED)).isFalse();
		}
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(0, requestsFor("model-b"));
	}

	@Test
	void whenTheHedgeBudgetIsSpentThenNoHedgeStarts() {
		primary.stubFor(completion("model-a").willReturn(answer("model-a", "from A").withFixedDelay(300)));
		try (ResilientChatClient client = chain(HedgeSettings.after(Duration.ofMillis(50))).hedgeBudget(0, 0)
			.build()) {
			ChatResponse response = client.call(new Prompt("hello"));

			assertThat(response.getResult().getOutput().getText()).isEqualTo("from A");
			assertThat(response.getMetadata().containsKey(FallbackMetadata.HEDGED)).isFalse();
			assertThat(client.circuitBreaker("primary").snapshot().successes()).isEqualTo(1);
		}
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(0, requestsFor("model-b"));
		assertThat(this.events).noneMatch(HedgeEvent.class::isInstance);
	}

	@Test
	void whenTheHedgedEntryFailsBeforeTheDelayThenTheChainFallsBackAsUsual() {
		primary.stubFor(completion("model-a").willReturn(OpenAiStubs.error(503, "server_error", "overloaded")));
		try (ResilientChatClient client = chain(HedgeSettings.after(Duration.ofSeconds(3))).build()) {
			ChatResponse response = client.call(new Prompt("hello"));

			assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
			assertThat((String) response.getMetadata().get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
			assertThat(response.getMetadata().containsKey(FallbackMetadata.HEDGED)).isFalse();
			assertThat((List<String>) response.getMetadata().get(FallbackMetadata.FAILED_ATTEMPTS)).hasSize(1);
			assertThat(client.circuitBreaker("primary").snapshot().consecutiveFailures()).isEqualTo(1);
		}
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
		assertThat(this.events).noneMatch(HedgeEvent.class::isInstance);
	}

	@Test
	void whenTheHedgeFailsThenTheSlowEntryStillServes() {
		primary.stubFor(completion("model-a").willReturn(answer("model-a", "from A").withFixedDelay(500)));
		secondary.stubFor(completion("model-b").willReturn(OpenAiStubs.error(503, "server_error", "overloaded")));
		try (ResilientChatClient client = chain(HedgeSettings.after(Duration.ofMillis(50))).build()) {
			ChatResponse response = client.call(new Prompt("hello"));

			assertThat(response.getResult().getOutput().getText()).isEqualTo("from A");
			assertThat((String) response.getMetadata().get(FallbackMetadata.SERVED_BY)).isEqualTo("primary");
			assertThat((Boolean) response.getMetadata().get(FallbackMetadata.HEDGED)).isTrue();
			assertThat((List<String>) response.getMetadata().get(FallbackMetadata.FAILED_ATTEMPTS)).hasSize(1);
			assertThat(client.circuitBreaker("primary").snapshot().successes()).isEqualTo(1);
			assertThat(client.circuitBreaker("secondary").snapshot().consecutiveFailures()).isEqualTo(1);
			assertThat(client.circuitBreaker("secondary").snapshot().failures()).isEqualTo(1);
		}
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
		// The failed hedge has its failure event, not a race outcome.
		assertThat(this.events).noneMatch(HedgeEvent.class::isInstance);
	}

	@Test
	void whenTheSlowEntryFailsAfterTheHedgeStartedThenTheHedgeIsWaitedFor() {
		primary.stubFor(completion("model-a").willReturn(OpenAiStubs.error(503, "server_error", "overloaded")
			.withFixedDelay(200)));
		secondary.stubFor(completion("model-b").willReturn(answer("model-b", "from B").withFixedDelay(600)));
		try (ResilientChatClient client = chain(HedgeSettings.after(Duration.ofMillis(50))).build()) {
			ChatResponse response = client.call(new Prompt("hello"));

			assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
			assertThat((String) response.getMetadata().get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
			assertThat((Boolean) response.getMetadata().get(FallbackMetadata.HEDGED)).isTrue();
			assertThat((List<String>) response.getMetadata().get(FallbackMetadata.FAILED_ATTEMPTS)).hasSize(1);
			assertThat(client.circuitBreaker("primary").snapshot().consecutiveFailures()).isEqualTo(1);
		}
		// The hedge already asked the secondary: the fallback does not ask it again.
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import io.github.aifallback.chat.event.AttemptFailedEvent;
import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.event.HedgeEvent;
import io.github.aifallback.chat.openai.OpenAiEntryModel;

import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static io.github.aifallback.chat.OpenAiStubs.sse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hedged streams through the real OpenAI client over real HTTP: when the first token is
 * slow, the next entry streams in parallel and the first stream to send a token wins.
 */
class StreamHedgingHttpTests {

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
	void whenTheFirstTokenIsSlowThenTheHedgeStreamsAndTheSlowStreamIsCancelled() {
		primary.stubFor(completion("model-a").willReturn(sse("model-a", "slow ", "A").withFixedDelay(2000)));
		secondary.stubFor(completion("model-b").willReturn(sse("model-b", "fast ", "B")));
		try (ResilientChatClient client = chain(HedgeSettings.after(Duration.ofMillis(50))).build()) {
			List<ChatResponse> chunks = client.stream(new Prompt("hello")).collectList().block(Duration.ofSeconds(10));

			assertThat(text(chunks)).isEqualTo("fast B");
			assertThat(chunks).allSatisfy((chunk) -> {
				assertThat((String) chunk.getMetadata().get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
				assertThat((Boolean) chunk.getMetadata().get(FallbackMetadata.HEDGED)).isTrue();
			});
			assertThat(client.circuitBreaker("primary").snapshot().consecutiveFailures()).isZero();
			assertThat(client.circuitBreaker("secondary").snapshot().successes()).isEqualTo(1);
			assertThat(this.events).filteredOn(HedgeEvent.class::isInstance)
				.map((event) -> (HedgeEvent) event)
				.extracting(HedgeEvent::entry, HedgeEvent::won)
				.containsExactly(org.assertj.core.groups.Tuple.tuple("primary", false),
						org.assertj.core.groups.Tuple.tuple("secondary", true));
			assertThat(this.events).noneMatch(AttemptFailedEvent.class::isInstance);
		}
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenTheFirstTokenComesBeforeTheDelayThenNoHedgeStarts() {
		primary.stubFor(completion("model-a").willReturn(sse("model-a", "from ", "A")));
		secondary.stubFor(completion("model-b").willReturn(sse("model-b", "fast ", "B")));
		try (ResilientChatClient client = chain(HedgeSettings.after(Duration.ofSeconds(3))).build()) {
			List<ChatResponse> chunks = client.stream(new Prompt("hello")).collectList().block(Duration.ofSeconds(10));

			assertThat(text(chunks)).isEqualTo("from A");
			assertThat(chunks).allSatisfy((chunk) -> assertThat(chunk.getMetadata().containsKey(FallbackMetadata.HEDGED))
				.isFalse());
			assertThat(client.circuitBreaker("primary").snapshot().successes()).isEqualTo(1);
		}
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(0, requestsFor("model-b"));
	}

	@Test
	void whenTheStreamFailsBeforeTheDelayThenTheChainFallsBackAsUsual() {
		primary.stubFor(completion("model-a").willReturn(OpenAiStubs.error(503, "server_error", "overloaded")));
		secondary.stubFor(completion("model-b").willReturn(sse("model-b", "fast ", "B")));
		try (ResilientChatClient client = chain(HedgeSettings.after(Duration.ofSeconds(3))).build()) {
			List<ChatResponse> chunks = client.stream(new Prompt("hello")).collectList().block(Duration.ofSeconds(10));

			assertThat(text(chunks)).isEqualTo("fast B");
			assertThat((List<String>) chunks.get(0).getMetadata().get(FallbackMetadata.FAILED_ATTEMPTS)).hasSize(1);
			assertThat(chunks.get(0).getMetadata().containsKey(FallbackMetadata.HEDGED)).isFalse();
		}
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
		assertThat(this.events).noneMatch(HedgeEvent.class::isInstance);
	}

	@Test
	void whenTheHedgeFailsThenTheSlowStreamStillServes() {
		primary.stubFor(completion("model-a").willReturn(sse("model-a", "from ", "A").withFixedDelay(500)));
		secondary.stubFor(completion("model-b").willReturn(OpenAiStubs.error(503, "server_error", "overloaded")));
		try (ResilientChatClient client = chain(HedgeSettings.after(Duration.ofMillis(50))).build()) {
			List<ChatResponse> chunks = client.stream(new Prompt("hello")).collectList().block(Duration.ofSeconds(10));

			assertThat(text(chunks)).isEqualTo("from A");
			assertThat((String) chunks.get(0).getMetadata().get(FallbackMetadata.SERVED_BY)).isEqualTo("primary");
			assertThat((Boolean) chunks.get(0).getMetadata().get(FallbackMetadata.HEDGED)).isTrue();
			assertThat(client.circuitBreaker("secondary").snapshot().consecutiveFailures()).isEqualTo(1);
		}
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
	}

	private static String text(List<ChatResponse> chunks) {
		StringBuilder text = new StringBuilder();
		chunks.forEach((chunk) -> text.append(chunk.getResult().getOutput().getText()));
		return text.toString();
	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.event.CallCompletedEvent;
import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static io.github.aifallback.chat.OpenAiStubs.sse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where streaming features meet (issue 20), over real HTTP through the real OpenAI and
 * Anthropic clients: a hedged stream cut after its first token is continued, not completed
 * truncated; a refusal after the first token is never continued; a race marks only the
 * answer it produced; a hedge that wins and is cut is continued on the entry after it; a
 * hedge the pool cannot run spends no hedge budget.
 */
class CallModelHttpTests {

	@RegisterExtension
	static WireMockExtension first = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension second = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension claude = AnthropicStubs.provider();

	private final List<FallbackEvent> events = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(first);
		AnthropicStubs.warmUp(claude);
	}

	private static EntryModel openAi(WireMockExtension server, String model) {
		return OpenAiEntryModel.create(baseUrl(server), "k", model, Duration.ofSeconds(5));
	}

	private ResilientChatClient.Builder chain(ChainEntry... entries) {
		ResilientChatClient.Builder builder = ResilientChatClient.builder()
			.retry(RetrySettings.custom().maxAttempts(1).build())
			.timeout(Duration.ofSeconds(5))
			.deadline(Duration.ofSeconds(20))
			.sleeper((wait) -> {
			})
			.listener(this.events::add);
		for (ChainEntry entry : entries) {
			builder.entry(entry);
		}
		return builder;
	}

	/** Role, then the deltas, then the connection closes: no finish reason, no [DONE]. */
	private static ResponseDefinitionBuilder cut(String model, String... tokens) {
		StringBuilder body = new StringBuilder(OpenAiStubs.sseChunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
		for (String token : tokens) {
			body.append(OpenAiStubs.sseChunk(model, "{\"content\":\"" + token + "\"}", null));
		}
		return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body.toString());
	}

	private static String text(List<ChatResponse> chunks) {
		StringBuilder text = new StringBuilder();
		chunks.stream()
			.map((chunk) -> (chunk.getResult() != null) ? chunk.getResult().getOutput().getText() : null)
			.filter(Objects::nonNull)
			.forEach(text::append);
		return text.toString();
	}

	private List<CallCompletedEvent> completions() {
		return this.events.stream()
			.filter(CallCompletedEvent.class::isInstance)
			.map(CallCompletedEvent.class::cast)
			.toList();
	}

	@Test
	void whenAHedgedAnthropicStreamIsCutAfterItsFirstTokenThenTheNextEntryContinuesIt() {
		claude.stubFor(AnthropicStubs.messages("claude-x")
			.willReturn(AnthropicStubs.cut("claude-x", "The transfer of 100 EUR ", "must NOT ")));
		first.stubFor(completion("model-b").willReturn(sse("model-b", "be made.")));
		ResilientChatClient client = chain(
				ChainEntry.of("claude", "claude-x", AnthropicStubs.model(claude, "claude-x"))
					.withHedge(HedgeSettings.after(Duration.ofSeconds(3))),
				ChainEntry.of("secondary", "model-b", openAi(first, "model-b")))
			.streamContinuation(true)
			.build();

		List<ChatResponse> chunks = client.stream(new Prompt("transfer?")).collectList().block(Duration.ofSeconds(10));

		assertThat(text(chunks)).isEqualTo("The transfer of 100 EUR must NOT be made.");
		assertThat(chunks.get(chunks.size() - 1).getMetadata().<String>get(FallbackMetadata.CONTINUED_FROM))
			.isEqualTo("claude");
		first.verify(1, requestsFor("model-b")
			.withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("The transfer of 100 EUR must NOT "))));
		assertThat(completions()).singleElement().satisfies((completed) -> {
			assertThat(completed.outcome()).isEqualTo(CallCompletedEvent.Outcome.SERVED);
			assertThat(completed.entry()).isEqualTo("secondary");
		});
	}

	@Test
	void whenAHedgedOpenAiStreamIsCutAndContinuationIsOffThenItEndsInterrupted() {
		first.stubFor(completion("model-a").willReturn(cut("model-a", "Hel", "lo")));
		second.stubFor(completion("model-b").willReturn(sse("model-b", "spliced")));
		ResilientChatClient client = chain(
				ChainEntry.of("primary", "model-a", openAi(first, "model-a"))
					.withHedge(HedgeSettings.after(Duration.ofSeconds(3))),
				ChainEntry.of("secondary", "model-b", openAi(second, "model-b")))
			.build();

		StepVerifier.create(client.stream(new Prompt("hi")))
			.expectNextCount(2)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(StreamInterruptedException.class,
					(interrupted) -> assertThat(interrupted.getEntry()).isEqualTo("primary")))
			.verify(Duration.ofSeconds(10));
		assertThat(completions()).singleElement()
			.extracting(CallCompletedEvent::outcome)
			.isEqualTo(CallCompletedEvent.Outcome.FAILED);
		second.verify(0, requestsFor("model-b"));
	}

	@Test
	void whenAnOpenAiStreamIsStoppedByTheContentFilterAfterItsFirstTokenThenItIsNeverContinued() {
		first.stubFor(completion("model-a").willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/event-stream")
			.withBody(OpenAiStubs.sseChunk("model-a", "{\"role\":\"assistant\",\"content\":\"\"}", null)
					+ OpenAiStubs.sseChunk("model-a", "{\"content\":\"Step one: \"}", null)
					+ OpenAiStubs.sseChunk("model-a", "{}", "content_filter") + "data: [DONE]\n\n")));
		second.stubFor(completion("model-b").willReturn(sse("model-b", "step two")));
		ResilientChatClient client = chain(ChainEntry.of("primary", "model-a", openAi(first, "model-a")),
				ChainEntry.of("secondary", "model-b", openAi(second, "model-b")))
			.streamContinuation(true)
			.build();

		StepVerifier.create(client.stream(new Prompt("how to?")))
			.expectNextCount(1)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(StreamInterruptedException.class,
					(interrupted) -> assertThat(interrupted.getKind()).isEqualTo(FailureKind.REFUSED)))
			.verify(Duration.ofSeconds(10));
		second.verify(0, requestsFor("model-b"));
	}

	@Test
	void whenAnAnthropicStreamRefusesAfterItsFirstTokenThenItIsNeverContinued() {
		claude.stubFor(AnthropicStubs.messages("claude-x")
			.willReturn(AnthropicStubs.events(AnthropicStubs.start("claude-x", "Sure, first ")
					+ AnthropicStubs.end("refusal"))));
		second.stubFor(completion("model-b").willReturn(sse("model-b", "then")));
		ResilientChatClient client = chain(ChainEntry.of("claude", "claude-x", AnthropicStubs.model(claude, "claude-x")),
				ChainEntry.of("secondary", "model-b", openAi(second, "model-b")))
			.streamContinuation(true)
			.build();

		StepVerifier.create(client.stream(new Prompt("how to?")))
			.thenConsumeWhile((chunk) -> true)
			.expectErrorSatisfies((ex) -> assertThat(ex).isInstanceOfSatisfying(StreamInterruptedException.class,
					(interrupted) -> assertThat(interrupted.getKind()).isEqualTo(FailureKind.REFUSED)))
			.verify(Duration.ofSeconds(10));
		second.verify(0, requestsFor("model-b"));
	}

	@Test
	void whenAFallbackServesAfterAFailedHedgeRaceThenTheAnswerIsNotMarkedHedged() {
		first.stubFor(completion("model-a").willReturn(OpenAiStubs.error(503, "server_error", "down")
			.withFixedDelay(300)));
		second.stubFor(completion("model-b").willReturn(OpenAiStubs.error(503, "server_error", "down")));
		second.stubFor(completion("model-c").willReturn(OpenAiStubs.answer("model-c", "plain")));
		ResilientChatClient client = chain(
				ChainEntry.of("primary", "model-a", openAi(first, "model-a"))
					.withHedge(HedgeSettings.after(Duration.ofMillis(50))),
				ChainEntry.of("secondary", "model-b", openAi(second, "model-b")),
				ChainEntry.of("tertiary", "model-c", openAi(second, "model-c")))
			.build();

		ChatResponse response = client.call(new Prompt("hi"));

		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("tertiary");
		assertThat(response.getMetadata().containsKey(FallbackMetadata.HEDGED)).isFalse();
		assertThat(response.getMetadata().containsKey(FallbackMetadata.HEDGED_ENTRIES)).isFalse();
	}

	@Test
	void whenTheHedgeWinsAStreamAndIsCutThenTheEntryAfterItContinues() {
		first.stubFor(completion("model-a").willReturn(sse("model-a", "slow").withFixedDelay(2000)));
		second.stubFor(completion("model-b").willReturn(cut("model-b", "Hel", "lo")));
		second.stubFor(completion("model-c").willReturn(sse("model-c", " world")));
		ResilientChatClient client = chain(
				ChainEntry.of("primary", "model-a", openAi(first, "model-a"))
					.withHedge(HedgeSettings.after(Duration.ofMillis(50))),
				ChainEntry.of("secondary", "model-b", openAi(second, "model-b")),
				ChainEntry.of("tertiary", "model-c", openAi(second, "model-c")))
			.streamContinuation(true)
			.build();

		List<ChatResponse> chunks = client.stream(new Prompt("hi")).collectList().block(Duration.ofSeconds(10));

		assertThat(text(chunks)).isEqualTo("Hello world");
		assertThat(chunks.get(chunks.size() - 1).getMetadata().<String>get(FallbackMetadata.CONTINUED_FROM))
			.isEqualTo("secondary");
		second.verify(1, requestsFor("model-c")
			.withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("Hello"))));
		assertThat(completions()).singleElement()
			.extracting(CallCompletedEvent::outcome)
			.isEqualTo(CallCompletedEvent.Outcome.SERVED);
	}

	@Test
	void whenTheHedgingPoolCannotRunTheHedgeThenNoHedgeBudgetIsSpent() throws Exception {
		MutableClock clock = new MutableClock();
		first.stubFor(completion("model-a").willReturn(OpenAiStubs.answer("model-a", "slow").withFixedDelay(300)));
		second.stubFor(completion("model-b").willReturn(OpenAiStubs.answer("model-b", "fast")));
		ResilientChatClient client = chain(
				ChainEntry.of("primary", "model-a", openAi(first, "model-a"))
					.withHedge(HedgeSettings.after(Duration.ofMillis(20))),
				ChainEntry.of("secondary", "model-b", openAi(second, "model-b")))
			.hedgeBudget(0.0, 1)
			.clock(clock)
			.build();
		CountDownLatch release = new CountDownLatch(1);
		List<Future<Object>> busy = new CopyOnWriteArrayList<>();
		try {
			// Every hedging thread but one is taken: the primary gets it, the hedge none.
			for (int i = 0; i < Hedging.MAX_THREADS - 1; i++) {
				busy.add(client.runtime.hedging.<Object>submit(() -> release.await(30, java.util.concurrent.TimeUnit.SECONDS)));
			}
			assertThat(busy).doesNotContainNull();

			assertThat(client.call(new Prompt("hi")).getResult().getOutput().getText()).isEqualTo("slow");
		}
		finally {
			release.countDown();
		}
		HedgeBudget fresh = new HedgeBudget(0.0, 1, clock);
		assertThat(drain(client.runtime.hedging.budget)).isEqualTo(drain(fresh));
		second.verify(0, requestsFor("model-b"));
	}

	@Test
	void whenADeploymentLosesABlockingHedgeRaceThenItsCircuitRecordsNoFailure() throws Exception {
		first.stubFor(completion("model-a").willReturn(OpenAiStubs.answer("model-a", "slow").withFixedDelay(1500)));
		second.stubFor(completion("model-b").willReturn(OpenAiStubs.answer("model-b", "fast")));
		io.github.aifallback.chat.deployment.DeploymentsEntryModel deployments = io.github.aifallback.chat.deployment.DeploymentsEntryModel
			.builder("primary")
			.deployment(new io.github.aifallback.chat.deployment.Deployment("only", baseUrl(first),
					openAi(first, "model-a"), 1, null))
			.build();
		ResilientChatClient client = chain(
				ChainEntry.of("primary", "model-a", deployments).withHedge(HedgeSettings.after(Duration.ofMillis(50))),
				ChainEntry.of("secondary", "model-b", openAi(second, "model-b")))
			.build();

		assertThat(client.call(new Prompt("hi")).getResult().getOutput().getText()).isEqualTo("fast");

		long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (client.runtime.hedging.activeThreads() > 0 && System.nanoTime() < end) {
			Thread.sleep(10);
		}
		assertThat(client.runtime.hedging.activeThreads()).as("the loser's thread has ended").isZero();
		CircuitBreaker deployment = deployments.circuitBreakers().get(0);
		assertThat(deployment.snapshot().failures()).as("a lost race is not the deployment's failure").isZero();
		assertThat(deployment.permitsInFlight()).isZero();
		assertThat(client.circuitBreaker("primary").permitsInFlight()).isZero();
	}

	private static int drain(HedgeBudget budget) {
		int taken = 0;
		while (taken < 1000 && budget.tryHedge()) {
			taken++;
		}
		return taken;
	}

}

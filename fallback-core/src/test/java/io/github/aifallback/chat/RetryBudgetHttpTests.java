package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.event.RetryDeniedEvent;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static io.github.aifallback.chat.OpenAiStubs.sse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry budget over real HTTP: many calls against a primary that always answers 503,
 * each allowed 3 attempts, make exactly the requests the budget allows, then fall back.
 * The clock stands still, so every call falls in one window; the budget's floor is 5
 * retries per window (0.5 per second over 10 s) and its ratio 20%.
 */
@ExtendWith(CapturedLogs.class)
class RetryBudgetHttpTests {

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	private final MutableClock clock = new MutableClock();

	private final List<FallbackEvent> events = new CopyOnWriteArrayList<>();

	private final Logger engineLogger = (Logger) LoggerFactory.getLogger(ResilientChatClient.class);

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(provider);
	}

	@BeforeEach
	void stubs() {
		provider.stubFor(completion("model-a").willReturn(aResponse().withStatus(503)));
		provider.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		this.engineLogger.setLevel(Level.DEBUG);
	}

	@AfterEach
	void restoreLevel() {
		this.engineLogger.setLevel(null);
	}

	private ResilientChatClient client(RetryBudgetSettings budget) {
		return ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "model-a",
					OpenAiEntryModel.create(baseUrl(provider), "k", "model-a", Duration.ofSeconds(5))))
			.entry(ChainEntry.of("secondary", "model-b",
					OpenAiEntryModel.create(baseUrl(provider), "k", "model-b", Duration.ofSeconds(5))))
			.retry(RetrySettings.custom()
				.initialInterval(Duration.ZERO)
				.multiplier(1.0)
				.maxInterval(Duration.ofSeconds(1))
				.jitter(false)
				.build())
			// The circuit would otherwise open after 5 failures and hide the budget.
			.circuitBreaker(CircuitBreakerSettings.custom().minimumNumberOfCalls(1_000).build())
			.retryBudget(budget)
			.clock(this.clock)
			.sleeper((duration) -> {
			})
			.listener(this.events::add)
			.build();
	}

	private static RetryBudgetSettings floorOfFive() {
		return RetryBudgetSettings.custom().ratio(0.2).window(Duration.ofSeconds(10)).minRetriesPerSecond(0.5).build();
	}

	private static void callTimes(ResilientChatClient client, int times) {
		for (int i = 0; i < times; i++) {
			ChatResponse response = client.call(new Prompt("hi"));
			assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		}
	}

	@Test
	void whenManyCallsMeetAnOutageThenRetriesStopAtTheBudgetAndCallsFallBack(CapturedLogs logs) {
		ResilientChatClient client = client(floorOfFive());

		callTimes(client, 20);

		// 20 first attempts, and 5 retries: the floor (20% of 20 calls is only 4).
		provider.verify(25, requestsFor("model-a"));
		provider.verify(20, requestsFor("model-b"));
		// Call 3 is denied its second retry, calls 4 to 20 their first.
		assertThat(this.events).filteredOn(RetryDeniedEvent.class::isInstance)
			.hasSize(18)
			.allSatisfy((event) -> assertThat(event.entry()).isEqualTo("primary"));
		assertThat(logs.toString()).contains("falling back to 'secondary' (retry budget spent)")
			.contains("DEBUG")
			.contains("not retrying 'primary': its retry budget is spent");
	}

	@Test
	void whenTheWindowHasSlidThenTheEntryIsRetriedAgain() {
		ResilientChatClient client = client(floorOfFive());
		callTimes(client, 5);
		provider.verify(5 + 5, requestsFor("model-a"));

		this.clock.advance(Duration.ofSeconds(10));
		callTimes(client, 1);

		provider.verify(10 + 3, requestsFor("model-a"));
	}

	@Test
	void whenTheBudgetIsOffThenEveryCallSpendsAllItsAttempts() {
		ResilientChatClient client = client(null);

		callTimes(client, 20);

		provider.verify(60, requestsFor("model-a"));
		provider.verify(20, requestsFor("model-b"));
		assertThat(this.events).noneMatch(RetryDeniedEvent.class::isInstance);
	}

	@Test
	void whenStreamsMeetAnOutageThenTheyDrawOnTheSameBudget() {
		provider.stubFor(completion("model-b").willReturn(sse("model-b", "from ", "B")));
		ResilientChatClient client = client(floorOfFive());

		for (int i = 0; i < 10; i++) {
			List<ChatResponse> chunks = client.stream(new Prompt("hi")).collectList().block(Duration.ofSeconds(10));
			assertThat(chunks).isNotEmpty()
				.allSatisfy((chunk) -> assertThat(chunk.getMetadata().<String>get(FallbackMetadata.SERVED_BY))
					.isEqualTo("secondary"));
		}

		provider.verify(10 + 5, requestsFor("model-a"));
		provider.verify(10, requestsFor("model-b"));
		assertThat(this.events).filteredOn(RetryDeniedEvent.class::isInstance).hasSize(8);
	}

}

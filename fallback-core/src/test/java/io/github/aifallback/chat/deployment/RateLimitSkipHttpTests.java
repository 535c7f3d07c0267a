package io.github.aifallback.chat.deployment;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.MutableClock;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.RetrySettings;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An entry whose every deployment says no request is left is skipped by the chain, as an
 * open circuit is: no request, no failure on its circuit, the skip listed in the metadata,
 * and served again after the reset. Real HTTP, real OpenAI client, a test clock.
 */
class RateLimitSkipHttpTests {

	private static final String MODEL = "gpt-test";

	private static final CircuitBreakerSettings BREAKER = new CircuitBreakerSettings(2, Duration.ofSeconds(30),
			Duration.ofMinutes(5));

	@RegisterExtension
	static WireMockExtension a = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension b = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension next = OpenAiStubs.provider();

	private final MutableClock clock = new MutableClock();

	private static ResponseDefinitionBuilder noneLeft(ResponseDefinitionBuilder response) {
		return response.withHeader("x-ratelimit-remaining-requests", "0")
			.withHeader("x-ratelimit-reset-requests", "1m0s");
	}

	@Test
	void whenEveryDeploymentSaysNoneIsLeftThenTheEntryIsSkippedWithoutAFailure() {
		a.stubFor(OpenAiStubs.completion(MODEL).willReturn(noneLeft(OpenAiStubs.answer(MODEL, "from a"))));
		b.stubFor(OpenAiStubs.completion(MODEL).willReturn(noneLeft(OpenAiStubs.answer(MODEL, "from b"))));
		next.stubFor(OpenAiStubs.completion("next").willReturn(OpenAiStubs.answer("next", "from next")));
		ResilientChatClient client = client(deployment("deployment-0", a), deployment("deployment-1", b));

		assertThat(servedBy(client.call(new Prompt("hi")))).isEqualTo("primary");
		assertThat(servedBy(client.call(new Prompt("hi")))).isEqualTo("primary");
		ChatResponse skipped = client.call(new Prompt("hi"));

		assertThat(servedBy(skipped)).isEqualTo("next");
		assertThat(skipped.getMetadata().<List<String>>get(FallbackMetadata.SKIPPED))
			.containsExactly("primary: rate limit: none left until 2026-01-01T00:01:00Z");
		assertThat(skipped.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).isEmpty();
		assertThat(a.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(1);
		assertThat(b.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(1);
		assertThat(next.findAll(OpenAiStubs.requestsFor("next"))).hasSize(1);
		assertThat(client.circuitBreaker("primary").snapshot().failures()).isZero();
	}

	@Test
	void whenTheResetHasPassedThenTheSkippedEntryServesAgain() {
		a.stubFor(OpenAiStubs.completion(MODEL).willReturn(noneLeft(OpenAiStubs.answer(MODEL, "from a"))));
		next.stubFor(OpenAiStubs.completion("next").willReturn(OpenAiStubs.answer("next", "from next")));
		ResilientChatClient client = client(deployment("deployment-0", a));
		assertThat(servedBy(client.call(new Prompt("hi")))).isEqualTo("primary");
		assertThat(servedBy(client.call(new Prompt("hi")))).isEqualTo("next");

		this.clock.advance(Duration.ofSeconds(61));

		assertThat(servedBy(client.call(new Prompt("hi")))).isEqualTo("primary");
		assertThat(a.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(2);
	}

	@Test
	void whenEveryDeploymentSaysNoneIsLeftThenAStreamSkipsTheEntryToo() {
		a.stubFor(OpenAiStubs.completion(MODEL).willReturn(noneLeft(OpenAiStubs.sse(MODEL, "from", " a"))));
		next.stubFor(OpenAiStubs.completion("next").willReturn(OpenAiStubs.sse("next", "from", " next")));
		ResilientChatClient client = client(deployment("deployment-0", a));

		assertThat(streamed(client)).isEqualTo("from a");
		assertThat(streamed(client)).isEqualTo("from next");

		assertThat(a.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(1);
		assertThat(next.findAll(OpenAiStubs.requestsFor("next"))).hasSize(1);
		assertThat(client.circuitBreaker("primary").snapshot().failures()).isZero();
	}

	private static String servedBy(ChatResponse response) {
		return response.getMetadata().get(FallbackMetadata.SERVED_BY);
	}

	private static String streamed(ResilientChatClient client) {
		return String.join("", client.stream(new Prompt("hi"))
			.map((chunk) -> (chunk.getResult() != null && chunk.getResult().getOutput().getText() != null)
					? chunk.getResult().getOutput().getText() : "")
			.collectList()
			.block());
	}

	private Deployment deployment(String label, WireMockExtension server) {
		RateLimitState state = new RateLimitState(this.clock, RateLimitSettings.DEFAULTS);
		OpenAiEntryModel model = OpenAiEntryModel.builder()
			.baseUrl(OpenAiStubs.baseUrl(server))
			.apiKey("key-" + label)
			.model(MODEL)
			.timeout(Duration.ofSeconds(10))
			.rateLimits(state)
			.build();
		return new Deployment(label, OpenAiStubs.baseUrl(server), model, 1, state);
	}

	private ResilientChatClient client(Deployment... deployments) {
		DeploymentsEntryModel.Builder entry = DeploymentsEntryModel.builder("primary")
			.circuitBreaker(BREAKER)
			.clock(this.clock);
		for (Deployment deployment : deployments) {
			entry.deployment(deployment);
		}
		return ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", MODEL, entry.build()))
			.entry(ChainEntry.of("next", "next",
					OpenAiEntryModel.create(OpenAiStubs.baseUrl(next), "key-next", "next", Duration.ofSeconds(10))))
			.retry(RetrySettings.custom().maxAttempts(1).build())
			.circuitBreaker(BREAKER)
			.clock(this.clock)
			.sleeper((duration) -> {
			})
			.build();
	}

}

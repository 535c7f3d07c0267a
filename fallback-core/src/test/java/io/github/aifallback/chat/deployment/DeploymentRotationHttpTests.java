package io.github.aifallback.chat.deployment;

import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.AnthropicStubs;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.MutableClock;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.RetrySettings;
import io.github.aifallback.chat.anthropic.AnthropicEntryModel;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An entry with two deployments on two real HTTP servers, through the real OpenAI and
 * Anthropic clients: spread by weight, a 429 moves on within the attempt, a deployment's
 * circuit opens alone, each server sees only its own key, and success headers that say the
 * limit is reached steer traffic until the reset.
 */
class DeploymentRotationHttpTests {

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

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(a);
	}

	@Test
	void whenTwoDeploymentsWeighOneEachThenCallsAlternateBetweenThem() {
		stubAnswers();
		ResilientChatClient client = client(1, 1, 1);

		for (int i = 0; i < 10; i++) {
			assertThat(servedBy(client)).isEqualTo("primary");
		}

		assertThat(a.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(5);
		assertThat(b.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(5);
	}

	@Test
	void whenWeightsAreThreeAndOneThenTrafficSplitsThreeToOne() {
		stubAnswers();
		ResilientChatClient client = client(3, 1, 1);

		for (int i = 0; i < 8; i++) {
			servedBy(client);
		}

		assertThat(a.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(6);
		assertThat(b.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(2);
	}

	@Test
	void whenADeploymentAnswers429ThenTheSameAttemptIsServedByTheNextDeployment() {
		a.stubFor(OpenAiStubs.completion(MODEL).willReturn(OpenAiStubs.error(429, "requests", "rate_limit_exceeded")));
		b.stubFor(OpenAiStubs.completion(MODEL).willReturn(OpenAiStubs.answer(MODEL, "from b")));
		next.stubFor(OpenAiStubs.completion("next").willReturn(OpenAiStubs.answer("next", "from next")));
		ResilientChatClient client = client(1, 1, 1);

		ChatResponse response = client.call(new Prompt("hi"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from b");
		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("primary");
		assertThat(a.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(1);
		assertThat(b.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(1);
		assertThat(next.findAll(OpenAiStubs.requestsFor("next"))).isEmpty();
		assertThat(client.circuitBreaker("primary").snapshot().consecutiveFailures()).isZero();
	}

	@Test
	void whenAStreamedDeploymentAnswers429ThenTheStreamComesFromTheNextDeployment() {
		a.stubFor(OpenAiStubs.completion(MODEL).willReturn(OpenAiStubs.error(429, "requests", "rate_limit_exceeded")));
		b.stubFor(OpenAiStubs.completion(MODEL).willReturn(OpenAiStubs.sse(MODEL, "from", " b")));
		ResilientChatClient client = client(1, 1, 1);

		String text = String.join("", client.stream(new Prompt("hi"))
			.map((chunk) -> (chunk.getResult() != null && chunk.getResult().getOutput().getText() != null)
					? chunk.getResult().getOutput().getText() : "")
			.collectList()
			.block());

		assertThat(text).isEqualTo("from b");
		assertThat(a.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(1);
		assertThat(b.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(1);
		assertThat(next.findAll(OpenAiStubs.requestsFor("next"))).isEmpty();
	}

	@Test
	void whenEveryDeploymentIsThrottledThenTheChainFallsBackToTheNextEntry() {
		a.stubFor(OpenAiStubs.completion(MODEL).willReturn(OpenAiStubs.error(429, "requests", "rate_limit_exceeded")));
		b.stubFor(OpenAiStubs.completion(MODEL).willReturn(OpenAiStubs.error(429, "requests", "rate_limit_exceeded")));
		next.stubFor(OpenAiStubs.completion("next").willReturn(OpenAiStubs.answer("next", "from next")));
		ResilientChatClient client = client(1, 1, 1);

		assertThat(servedBy(client)).isEqualTo("next");

		assertThat(a.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(1);
		assertThat(b.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(1);
		assertThat(next.findAll(OpenAiStubs.requestsFor("next"))).hasSize(1);
	}

	@Test
	void whenADeploymentKeepsFailingThenItsCircuitOpensAndOnlyTheOtherServes() {
		a.stubFor(OpenAiStubs.completion(MODEL).willReturn(OpenAiStubs.error(500, "server_error", "server_error")));
		b.stubFor(OpenAiStubs.completion(MODEL).willReturn(OpenAiStubs.answer(MODEL, "from b")));
		DeploymentsEntryModel deployments = deployments(1, 1);
		ResilientChatClient client = client(deployments, 2);

		for (int i = 0; i < 10; i++) {
			assertThat(servedBy(client)).isEqualTo("primary");
		}

		// Two failures open A's circuit (threshold 2); each failed attempt was retried on B.
		assertThat(a.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(2);
		assertThat(b.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(10);
		assertThat(deployments.circuitBreakers().get(0).state()).isEqualTo(CircuitState.OPEN);
		assertThat(deployments.circuitBreakers().get(0).entry()).isEqualTo("primary#0");
		assertThat(client.circuitBreaker("primary").state()).isEqualTo(CircuitState.CLOSED);
		assertThat(next.findAll(OpenAiStubs.requestsFor("next"))).isEmpty();
	}

	@Test
	void whenDeploymentsAreCalledThenEachServerReceivesOnlyItsOwnKey() {
		stubAnswers();
		ResilientChatClient client = client(1, 1, 1);

		for (int i = 0; i < 4; i++) {
			servedBy(client);
		}

		assertThat(a.findAll(OpenAiStubs.requestsFor(MODEL).withHeader("Authorization", equalTo("Bearer key-a"))))
			.hasSize(2);
		assertThat(b.findAll(OpenAiStubs.requestsFor(MODEL).withHeader("Authorization", equalTo("Bearer key-b"))))
			.hasSize(2);
		assertThat(a.findAll(OpenAiStubs.requestsFor(MODEL).withHeader("Authorization", equalTo("Bearer key-b"))))
			.isEmpty();
		assertThat(b.findAll(OpenAiStubs.requestsFor(MODEL).withHeader("Authorization", equalTo("Bearer key-a"))))
			.isEmpty();
	}

	@Test
	void whenADeploymentSaysNoRequestIsLeftThenCallsGoToTheOtherUntilTheReset() {
		a.stubFor(OpenAiStubs.completion(MODEL).willReturn(OpenAiStubs.answer(MODEL, "from a")
			.withHeader("x-ratelimit-remaining-requests", "0")
			.withHeader("x-ratelimit-reset-requests", "2s")));
		b.stubFor(OpenAiStubs.completion(MODEL).willReturn(OpenAiStubs.answer(MODEL, "from b")));
		ResilientChatClient client = client(1, 1, 1);

		for (int i = 0; i < 4; i++) {
			servedBy(client);
		}
		assertThat(a.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(1);
		assertThat(b.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(3);

		this.clock.advance(Duration.ofSeconds(2));
		servedBy(client);
		servedBy(client);

		assertThat(a.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(2);
		assertThat(b.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(4);
	}

	@Test
	void whenEveryDeploymentSaysNoRequestIsLeftThenTheChainFallsBackWithoutSendingThem() {
		a.stubFor(OpenAiStubs.completion(MODEL).willReturn(OpenAiStubs.answer(MODEL, "from a")
			.withHeader("x-ratelimit-remaining-requests", "0")
			.withHeader("x-ratelimit-reset-requests", "1m0s")));
		next.stubFor(OpenAiStubs.completion("next").willReturn(OpenAiStubs.answer("next", "from next")));
		DeploymentsEntryModel single = DeploymentsEntryModel.builder("primary")
			.deployment(openAi("deployment-0", a, "key-a", 1))
			.circuitBreaker(BREAKER)
			.clock(this.clock)
			.build();
		ResilientChatClient client = client(single, 3);

		assertThat(servedBy(client)).isEqualTo("primary");
		assertThat(servedBy(client)).isEqualTo("next");
		assertThat(servedBy(client)).isEqualTo("next");

		// A 1-minute reset is beyond max-interval (1 s here): no wait, no retry, no request.
		assertThat(a.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(1);
		assertThat(next.findAll(OpenAiStubs.requestsFor("next"))).hasSize(2);
		assertThat(single.statuses().get(0).rateLimits().remainingRequests()).isZero();
		assertThat(single.statuses().get(0).rateLimits().limitedUntil()).isNotNull();
	}

	@Test
	void whenRateLimitHeadersAreMalformedThenTheyAreIgnored() {
		a.stubFor(OpenAiStubs.completion(MODEL).willReturn(OpenAiStubs.answer(MODEL, "from a")
			.withHeader("x-ratelimit-remaining-requests", "none")
			.withHeader("x-ratelimit-reset-requests", "soon")
			.withHeader("x-ratelimit-remaining-tokens", "-5")
			.withHeader("x-ratelimit-reset-tokens", "1x")));
		b.stubFor(OpenAiStubs.completion(MODEL).willReturn(OpenAiStubs.answer(MODEL, "from b")));
		ResilientChatClient client = client(1, 1, 1);

		for (int i = 0; i < 4; i++) {
			assertThat(servedBy(client)).isEqualTo("primary");
		}

		assertThat(a.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(2);
		assertThat(b.findAll(OpenAiStubs.requestsFor(MODEL))).hasSize(2);
	}

	@Test
	void whenAnthropicDeploymentsSayNoRequestIsLeftThenTheOtherServesUntilTheReset() {
		AnthropicStubs.warmUp(a);
		String reset = this.clock.instant().plusSeconds(2).toString();
		a.stubFor(AnthropicStubs.messages("claude-test").willReturn(AnthropicStubs.answer("claude-test", "from a")
			.withHeader("anthropic-ratelimit-requests-remaining", "0")
			.withHeader("anthropic-ratelimit-requests-reset", reset)));
		b.stubFor(AnthropicStubs.messages("claude-test").willReturn(AnthropicStubs.answer("claude-test", "from b")));
		DeploymentsEntryModel deployments = DeploymentsEntryModel.builder("claude")
			.deployment(anthropic("deployment-0", a))
			.deployment(anthropic("deployment-1", b))
			.circuitBreaker(BREAKER)
			.clock(this.clock)
			.build();
		ResilientChatClient client = client(deployments, 1);

		for (int i = 0; i < 3; i++) {
			assertThat(servedBy(client)).isEqualTo("primary");
		}

		assertThat(a.findAll(AnthropicStubs.requestsFor("claude-test"))).hasSize(1);
		assertThat(b.findAll(AnthropicStubs.requestsFor("claude-test"))).hasSize(2);
		assertThat(deployments.statuses().get(0).rateLimits().requestsReset()).isEqualTo(reset);
	}

	private Deployment anthropic(String label, WireMockExtension server) {
		RateLimitState state = new RateLimitState(this.clock, RateLimitSettings.DEFAULTS);
		AnthropicEntryModel model = AnthropicEntryModel.builder()
			.baseUrl(AnthropicStubs.baseUrl(server))
			.apiKey("key-" + label)
			.model("claude-test")
			.timeout(Duration.ofSeconds(10))
			.rateLimits(state)
			.build();
		return new Deployment(label, AnthropicStubs.baseUrl(server), model, 1, state);
	}

	private void stubAnswers() {
		a.stubFor(OpenAiStubs.completion(MODEL).willReturn(OpenAiStubs.answer(MODEL, "from a")));
		b.stubFor(OpenAiStubs.completion(MODEL).willReturn(OpenAiStubs.answer(MODEL, "from b")));
	}

	private static String servedBy(ResilientChatClient client) {
		return client.call(new Prompt("hi")).getMetadata().get(FallbackMetadata.SERVED_BY);
	}

	private ResilientChatClient client(int weightA, int weightB, int maxAttempts) {
		return client(deployments(weightA, weightB), maxAttempts);
	}

	private DeploymentsEntryModel deployments(int weightA, int weightB) {
		return DeploymentsEntryModel.builder("primary")
			.deployment(openAi("deployment-0", a, "key-a", weightA))
			.deployment(openAi("deployment-1", b, "key-b", weightB))
			.circuitBreaker(BREAKER)
			.clock(this.clock)
			.build();
	}

	private Deployment openAi(String label, WireMockExtension server, String key, int weight) {
		RateLimitState state = new RateLimitState(this.clock, RateLimitSettings.DEFAULTS);
		OpenAiEntryModel model = OpenAiEntryModel.builder()
			.baseUrl(OpenAiStubs.baseUrl(server))
			.apiKey(key)
			.model(MODEL)
			.timeout(Duration.ofSeconds(10))
			.rateLimits(state)
			.build();
		return new Deployment(label, OpenAiStubs.baseUrl(server), model, weight, state);
	}

	private ResilientChatClient client(DeploymentsEntryModel deployments, int maxAttempts) {
		return ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", MODEL, deployments))
			.entry(ChainEntry.of("next", "next",
					OpenAiEntryModel.create(OpenAiStubs.baseUrl(next), "key-next", "next", Duration.ofSeconds(10))))
			.retry(RetrySettings.custom()
				.maxAttempts(maxAttempts)
				.initialInterval(Duration.ZERO)
				.multiplier(1.0)
				.maxInterval(Duration.ofSeconds(1))
				.jitter(false)
				.build())
			.circuitBreaker(BREAKER)
			.clock(this.clock)
			.sleeper((duration) -> {
			})
			.build();
	}

}

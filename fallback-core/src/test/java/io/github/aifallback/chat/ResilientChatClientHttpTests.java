package io.github.aifallback.chat;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.openai.OpenAiEntryModel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.error;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The real spring-ai-openai client over real HTTP against WireMock providers on 127.0.0.1:
 * each failure class, and the exact number of requests every stub received.
 */
class ResilientChatClientHttpTests {

	@RegisterExtension
	static WireMockExtension providerA = OpenAiStubs.provider();

	@org.junit.jupiter.api.BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(providerA);
	}

	@RegisterExtension
	static WireMockExtension providerB = OpenAiStubs.provider();

	private final List<Duration> waits = new CopyOnWriteArrayList<>();

	private final Sleeper recordingSleeper = this.waits::add;

	private ResilientChatClient.Builder chain(ChainEntry... entries) {
		return ResilientChatClient.builder()
			.entries(List.of(entries))
			.timeout(Duration.ofSeconds(5))
			.deadline(Duration.ofSeconds(20))
			.retry(RetrySettings.custom()
				.maxAttempts(2)
				.initialInterval(Duration.ofMillis(100))
				.maxInterval(Duration.ofSeconds(5))
				.jitter(false)
				.build())
			.sleeper(this.recordingSleeper);
	}

	private static ChainEntry entry(String name, String model, String baseUrl) {
		return ChainEntry.of(name, model, OpenAiEntryModel.create(baseUrl, "test-key", model, Duration.ofSeconds(5)));
	}

	private ResilientChatClient twoProviders() {
		return chain(entry("primary", "model-a", baseUrl(providerA)), entry("secondary", "model-b", baseUrl(providerB)))
			.build();
	}

	@Test
	void whenPrimaryKeepsFailingWith500ThenItIsRetriedAndTheNextEntryServes() {
		providerA.stubFor(completion("model-a").willReturn(serverError()));
		providerB.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));

		ChatResponse response = twoProviders().call(new Prompt("hello"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).hasSize(2)
			.allSatisfy((line) -> assertThat(line).startsWith("primary").contains("SERVER_ERROR (HTTP 500)"));
		assertThat(this.waits).containsExactly(Duration.ofMillis(100));
		providerA.verify(2, requestsFor("model-a"));
		providerB.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenPrimaryFailsOnceWith500ThenTheRetryServes() {
		providerA.stubFor(completion("model-a").inScenario("flaky")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(serverError())
			.willSetStateTo("recovered"));
		providerA.stubFor(completion("model-a").inScenario("flaky")
			.whenScenarioStateIs("recovered")
			.willReturn(answer("model-a", "from A")));

		ChatResponse response = twoProviders().call(new Prompt("hello"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from A");
		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("primary");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).hasSize(1);
		providerA.verify(2, requestsFor("model-a"));
		providerB.verify(0, requestsFor("model-b"));
	}

	@Test
	void whenRateLimitedWithRetryAfterThenTheRetryWaitsAtLeastThatLong() {
		providerA.stubFor(completion("model-a").inScenario("limited")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(error(429, "requests", "rate_limit_exceeded").withHeader("Retry-After", "1"))
			.willSetStateTo("ok"));
		providerA.stubFor(completion("model-a").inScenario("limited")
			.whenScenarioStateIs("ok")
			.willReturn(answer("model-a", "from A")));

		ChatResponse response = twoProviders().call(new Prompt("hello"));

		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("primary");
		assertThat(this.waits).singleElement()
			.satisfies((wait) -> assertThat(wait).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
		providerA.verify(2, requestsFor("model-a"));
		providerB.verify(0, requestsFor("model-b"));
	}

	@Test
	void whenRetryAfterMsIsSentThenItIsHonouredToTheMillisecond() {
		providerA.stubFor(completion("model-a").inScenario("limited")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(error(429, "requests", "rate_limit_exceeded").withHeader("retry-after-ms", "1500"))
			.willSetStateTo("ok"));
		providerA.stubFor(completion("model-a").inScenario("limited")
			.whenScenarioStateIs("ok")
			.willReturn(answer("model-a", "from A")));

		twoProviders().call(new Prompt("hello"));

		assertThat(this.waits).containsExactly(Duration.ofMillis(1500));
		providerA.verify(2, requestsFor("model-a"));
	}

	@Test
	void whenRetryAfterIsLongerThanMaxIntervalThenTheNextEntryIsTriedAtOnce() {
		providerA.stubFor(completion("model-a")
			.willReturn(error(429, "requests", "rate_limit_exceeded").withHeader("Retry-After", "60")));
		providerB.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));

		ChatResponse response = twoProviders().call(new Prompt("hello"));

		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		assertThat(this.waits).isEmpty();
		providerA.verify(1, requestsFor("model-a"));
		providerB.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenQuotaIsExhaustedThenExactlyOneRequestThenFallback() {
		assertFellBackAfterOneRequest(error(429, "insufficient_quota", "insufficient_quota"), "QUOTA_EXHAUSTED (HTTP 429)");
	}

	@Test
	void whenOneProviderRejectsTheKeyThenTheOtherProviderServes() {
		assertFellBackAfterOneRequest(error(401, "invalid_request_error", "invalid_api_key"), "AUTH (HTTP 401)");
	}

	@Test
	void whenTheContextIsTooLongThenFallbackWithoutRetry() {
		assertFellBackAfterOneRequest(error(400, "invalid_request_error", "context_length_exceeded"), "CONTEXT_TOO_LONG (HTTP 400)");
	}

	@Test
	void whenTheModelIsNotFoundThenFallbackWithoutRetry() {
		assertFellBackAfterOneRequest(error(404, "invalid_request_error", "model_not_found"), "MODEL_NOT_FOUND (HTTP 404)");
	}

	@Test
	void whenThePrimaryHangsThenTheAttemptTimesOutLongBeforeTheHangEnds() {
		providerA.stubFor(completion("model-a").willReturn(answer("model-a", "too late").withFixedDelay(10_000)));
		providerB.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		ResilientChatClient client = chain(entry("primary", "model-a", baseUrl(providerA)),
				entry("secondary", "model-b", baseUrl(providerB)))
			.timeout(Duration.ofMillis(300))
			.build();

		long started = System.nanoTime();
		ChatResponse response = client.call(new Prompt("hello"));
		Duration took = Duration.ofNanos(System.nanoTime() - started);

		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).hasSize(2)
			.allSatisfy((line) -> assertThat(line).contains("TIMEOUT"));
		assertThat(took).isLessThan(Duration.ofSeconds(5));
		providerA.verify(2, requestsFor("model-a"));
		providerB.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenTheConnectionIsRefusedThenTheNextEntryServes() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
			closedPort = socket.getLocalPort();
		}
		providerB.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		ResilientChatClient client = chain(entry("primary", "model-a", "http://127.0.0.1:" + closedPort + "/v1"),
				entry("secondary", "model-b", baseUrl(providerB)))
			.build();

		ChatResponse response = client.call(new Prompt("hello"));

		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).hasSize(2)
			.allSatisfy((line) -> assertThat(line).contains("CONNECTION"));
		providerB.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenTheConnectionIsResetThenItIsAConnectionFailure() {
		providerA.stubFor(completion("model-a").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		providerB.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));

		ChatResponse response = twoProviders().call(new Prompt("hello"));

		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).hasSize(2)
			.allSatisfy((line) -> assertThat(line).contains("CONNECTION"));
		providerA.verify(2, requestsFor("model-a"));
		providerB.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenTheBodyIsMalformedJsonThenFallbackWithoutRetry() {
		assertFellBackAfterOneRequest(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"id\": oops"), "INVALID_RESPONSE");
	}

	@Test
	void whenChoicesAreEmptyThenFallbackWithoutRetry() {
		assertFellBackAfterOneRequest(okJson("{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"model-a\",\"choices\":[]}"), "INVALID_RESPONSE");
	}

	@Test
	void whenContentIsEmptyThenFallbackWithoutRetry() {
		assertFellBackAfterOneRequest(answer("model-a", ""), "INVALID_RESPONSE");
	}

	/** The primary fails once with the given reply; the secondary serves; nothing is retried. */
	private void assertFellBackAfterOneRequest(ResponseDefinitionBuilder primaryReply, String expectedFailure) {
		providerA.stubFor(completion("model-a").willReturn(primaryReply));
		providerB.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));

		ChatResponse response = twoProviders().call(new Prompt("hello"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.startsWith("primary attempt 1/2: " + expectedFailure)
			.endsWith("then FALL_BACK");
		assertThat(this.waits).isEmpty();
		providerA.verify(1, requestsFor("model-a"));
		providerB.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenEveryEntryFailsThenTheExceptionListsEveryAttempt() {
		providerA.stubFor(completion("model-a").willReturn(serverError()));
		providerB.stubFor(completion("model-b").willReturn(error(401, "invalid_request_error", "invalid_api_key")));

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> twoProviders().call(new Prompt("hello")))
			.satisfies((ex) -> {
				assertThat(ex.getAttempts()).extracting(AttemptRecord::entry, AttemptRecord::kind,
						AttemptRecord::status)
					.containsExactly(org.assertj.core.groups.Tuple.tuple("primary", FailureKind.SERVER_ERROR, 500),
							org.assertj.core.groups.Tuple.tuple("primary", FailureKind.SERVER_ERROR, 500),
							org.assertj.core.groups.Tuple.tuple("secondary", FailureKind.AUTH, 401));
				assertThat(ex.getMessage()).contains("3 attempt(s)")
					.contains("primary attempt 1/2: SERVER_ERROR (HTTP 500)")
					.contains("secondary attempt 1/2: AUTH (HTTP 401)");
			});
		providerA.verify(2, requestsFor("model-a"));
		providerB.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenUsedThroughSpringAiChatClientThenEachEntrySendsItsOwnModel() {
		providerA.stubFor(completion("model-a").willReturn(serverError()));
		providerB.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));

		String content = ChatClient.create(twoProviders())
			.prompt()
			.options(org.springframework.ai.openai.OpenAiChatOptions.builder().model("ignored").temperature(0.2))
			.user("hello")
			.call()
			.content();

		assertThat(content).isEqualTo("from B");
		providerA.verify(2, requestsFor("model-a"));
		providerB.verify(1, requestsFor("model-b").withRequestBody(
				com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.temperature", equalTo("0.2"))));
	}

	@Test
	void whenCalledWithAStringThenTheAnswerTextComesBack() {
		providerA.stubFor(completion("model-a").willReturn(answer("model-a", "from A")));

		assertThat(twoProviders().call("hello")).isEqualTo("from A");
		providerA.verify(1, requestsFor("model-a"));
	}

}

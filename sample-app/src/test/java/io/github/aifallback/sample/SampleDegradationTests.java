package io.github.aifallback.sample;

import java.time.Duration;
import java.util.List;

import io.github.aifallback.test.AutoConfigureFallbackSimulator;
import io.github.aifallback.test.FallbackSimulator;
import io.github.aifallback.test.FallbackTestClock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.github.aifallback.test.FallbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the sample degrades, proven with the starter's test kit: each provider outage is
 * scripted per entry, the chain's waits pass on the kit's clock, and the sample's own
 * {@code /chat} endpoints are called over real HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.simulator.enabled=false")
@AutoConfigureFallbackSimulator
class SampleDegradationTests {

	private static final JsonMapper JSON = JsonMapper.shared();

	@LocalServerPort
	int port;
	private JsonNode chat(String message) throws Exception {
		var response = SampleApplicationTests.post(this.port, "/chat", "{\"message\":\"" + message + "\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	@Test
	void whenPrimaryAsksToWaitLongerThanMaxIntervalThenTheAnthropicSecondaryServesAtOnce(FallbackSimulator simulator,
			FallbackTestClock clock) throws Exception {
		simulator.entry("primary").failNext(1).withStatus(429).retryAfter(Duration.ofSeconds(30));

		JsonNode answer = chat("rate limited");

		assertThat(answer.path("servedBy").asString()).isEqualTo("secondary");
		assertThat(answer.path("answer").asString()).isEqualTo("Simulated answer from secondary.");
		assertThat(clock.waits()).as("the sample's max-interval is 500ms: no wait for 30s").isEmpty();
		assertThat(simulator).hasReceived("primary", 1).hasReceived("secondary", 1).hasReceivedNothing("tertiary");
	}

	@Test
	void whenPrimaryFailsOnceThenItIsRetriedAfterTheBackoffOnTheClock(FallbackSimulator simulator,
			FallbackTestClock clock) throws Exception {
		simulator.entry("primary").failNext(1).serverError();

		JsonNode answer = chat("one failure");

		assertThat(answer.path("servedBy").asString()).isEqualTo("primary");
		assertThat(answer.path("failedAttempts").get(0).asString()).startsWith("primary attempt 1/2: SERVER_ERROR");
		assertThat(clock.waits()).singleElement()
			.satisfies((wait) -> assertThat(wait).isBetween(Duration.ZERO, Duration.ofMillis(200)));
	}

	@Test
	void whenTheAnthropicSecondaryHasNoCreditLeftThenTheTertiaryServesWithoutRetryingIt(FallbackSimulator simulator)
			throws Exception {
		simulator.entry("primary").failAlways().authFailure();
		simulator.entry("secondary").failAlways().quotaExhausted();

		JsonNode answer = chat("no credit");

		assertThat(answer.path("servedBy").asString()).isEqualTo("tertiary");
		assertThat(answer.path("failedAttempts").toString()).contains("primary attempt 1/2: AUTH",
				"secondary attempt 1/2: QUOTA_EXHAUSTED");
		assertThat(simulator).hasReceived("primary", 1).hasReceived("secondary", 1).hasReceived("tertiary", 1);
	}

	@Test
	void whenEveryModelIsDownThenTheSampleServesTheLastGoodAnswerMarkedDegraded(FallbackSimulator simulator)
			throws Exception {
		assertThat(chat("degrade me").path("degraded").asBoolean()).isFalse();
		for (String entry : List.of("primary", "secondary", "tertiary")) {
			simulator.entry(entry).failAlways().withStatus(503);
		}

		JsonNode answer = chat("degrade me");

		assertThat(answer.path("servedBy").asString()).isEqualTo("cache");
		assertThat(answer.path("degraded").asBoolean()).isTrue();
		assertThat(answer.path("answer").asString()).isEqualTo("Simulated answer from primary.");
	}

	@Test
	void whenThePrimaryStreamIsCutBeforeItsFirstTokenThenTheSecondaryStreamsIt(FallbackSimulator simulator)
			throws Exception {
		simulator.entry("primary").failAlways().cutStreamAfter(0);
		simulator.entry("secondary").answer("every token from the secondary");

		String events = SampleApplicationTests.post(this.port, "/chat/stream", "{\"message\":\"stream\"}").body();

		assertThat(events).contains("event:served-by\ndata:secondary (degraded: false, failed attempts: [primary attempt 1/2")
			.doesNotContain("event:error");
		assertThat(simulator).hasReceived("secondary", 1);
	}

}

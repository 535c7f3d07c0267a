package io.github.aifallback.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole sample over real HTTP: the application, the starter, the real OpenAI SDK and the
 * embedded simulator, each scenario with its own failure rate.
 */
class SampleApplicationTests {

	private static final JsonMapper JSON = JsonMapper.shared();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	// Each scenario is its own application context: Spring annotations sit on the nested classes
	// only, so no context is started for the enclosing class.
	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "sample.simulator.primary-failure-rate=1.0", "ai.fallback.retry.initial-interval=10ms",
					"ai.fallback.retry.max-interval=50ms" })
	class WhenPrimaryAlwaysFails {

		@LocalServerPort
		int port;

		@Test
		void thenSecondaryServesAndTheFailedAttemptsNamePrimary() throws Exception {
			HttpResponse<String> response = post(this.port, "/chat", "{\"message\":\"Hello\"}");
			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode body = JSON.readTree(response.body());
			assertThat(body.path("servedBy").asString()).isEqualTo("secondary");
			assertThat(body.path("answer").asString()).isNotBlank().contains("sim-claude");
			assertThat(body.path("degraded").asBoolean(true)).isFalse();
			JsonNode failedAttempts = body.path("failedAttempts");
			assertThat(failedAttempts.isArray()).isTrue();
			assertThat(failedAttempts.size()).isGreaterThan(0);
			failedAttempts.forEach((line) -> assertThat(line.asString()).contains("primary"));
		}

		@Test
		void thenTheStreamFallsBackBeforeItsFirstTokenAndSaysWhoServed() throws Exception {
			HttpResponse<String> response = post(this.port, "/chat/stream", "{\"message\":\"Hello\"}");

			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("text/event-stream"));
			String events = response.body();
			// After an earlier test's 429 (Retry-After: 1) primary may be skipped without an attempt.
			assertThat(events).containsPattern(
					"event:served-by\ndata:secondary \\(degraded: false, failed attempts: \\[(primary attempt 1/[^\\]]*)?\\]\\)");
			StringBuilder text = new StringBuilder();
			for (String block : events.split("\n\n")) {
				if (block.startsWith("event:token\n")) {
					text.append(block.substring("event:token\ndata:".length()));
				}
			}
			assertThat(text.toString()).isEqualTo("Simulated answer from sim-claude: your message had 5 characters.");
			assertThat(events).doesNotContain("event:error");
			assertThat(events.split("\n\n")).as("no token event without text")
				.noneMatch((block) -> block.strip().equals("event:token\ndata:") || block.strip().equals("event:token"));
		}

		@Test
		void thenTheHealthEndpointAnswers() throws Exception {
			HttpResponse<String> response = HTTP.send(
					HttpRequest.newBuilder(uri(this.port, "/actuator/health")).timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(JSON.readTree(response.body()).path("status").asString()).isEqualTo("UP");
		}

		@Test
		void whenTheMessageIsBlankThen400() throws Exception {
			HttpResponse<String> response = post(this.port, "/chat", "{\"message\":\"  \"}");
			assertThat(response.statusCode()).isEqualTo(400);
			assertThat(JSON.readTree(response.body()).path("error").asString()).contains("message");
		}

		@Test
		void whenTheBodyIsNotJsonThen400() throws Exception {
			assertThat(post(this.port, "/chat", "Hello").statusCode()).isEqualTo(400);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "sample.simulator.primary-failure-rate=0.0", "ai.fallback.retry.initial-interval=10ms",
					"ai.fallback.retry.max-interval=50ms" })
	class WhenPrimaryNeverFails {

		@LocalServerPort
		int port;

		@Test
		void thenPrimaryServesWithNoFailedAttempts() throws Exception {
			HttpResponse<String> response = post(this.port, "/chat", "{\"message\":\"Hello\"}");
			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode body = JSON.readTree(response.body());
			assertThat(body.path("servedBy").asString()).isEqualTo("primary");
			assertThat(body.path("answer").asString()).isNotBlank().contains("sim-primary");
			assertThat(body.path("failedAttempts").isArray()).isTrue();
			assertThat(body.path("failedAttempts").size()).isZero();
			assertThat(body.path("degraded").asBoolean(true)).isFalse();
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "sample.simulator.primary-failure-rate=1.0", "ai.fallback.retry.initial-interval=10ms",
					"ai.fallback.retry.max-interval=50ms", "ai.fallback.chain[0].model=sim-primary",
					"ai.fallback.chain[0].name=primary", "ai.fallback.chain[0].provider=simulator" })
	class WhenTheOnlyModelAlwaysFails {

		@LocalServerPort
		int port;

		@Test
		void then503ListsTheAttempts() throws Exception {
			HttpResponse<String> response = post(this.port, "/chat", "{\"message\":\"Hello\"}");
			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(JSON.readTree(response.body()).path("error").asString()).contains("primary")
				.doesNotContain("Hello")
				.doesNotContain("simulated-key");
		}

	}

	static HttpResponse<String> post(int port, String path, String json) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri(port, path))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(20))
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build();
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

	static URI uri(int port, String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

}

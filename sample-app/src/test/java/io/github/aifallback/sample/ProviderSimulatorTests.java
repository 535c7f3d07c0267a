package io.github.aifallback.sample;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ProviderSimulator} over HTTP on 127.0.0.1.
 */
class ProviderSimulatorTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private ProviderSimulator simulator;

	@AfterEach
	void stop() {
		if (this.simulator != null) {
			this.simulator.close();
		}
	}

	@Test
	void whenStartedThenItListensOnLoopbackWithTheVersionPath() {
		this.simulator = new ProviderSimulator(0.0).start();
		assertThat(this.simulator.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+/v1");
	}

	@Test
	void whenPostingAChatCompletionThenItAnswersJson() throws Exception {
		this.simulator = new ProviderSimulator(0.0).start();
		HttpResponse<String> response = post("/chat/completions", "sim-tertiary");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).contains("\"object\":\"chat.completion\"").contains("sim-tertiary");
	}

	@Test
	void whenPrimaryRateLimitsThenRetryAfterIsSentOverHttp() throws Exception {
		this.simulator = new ProviderSimulator(1.0, new SplittableRandom(7)).start();
		boolean sawRetryAfter = false;
		for (int i = 0; i < 20 && !sawRetryAfter; i++) {
			HttpResponse<String> response = post("/chat/completions", "sim-primary");
			assertThat(response.statusCode()).isIn(429, 500);
			sawRetryAfter = response.headers().firstValue("Retry-After").filter("1"::equals).isPresent();
		}
		assertThat(sawRetryAfter).isTrue();
	}

	@Test
	void whenPostingAnAnthropicMessageThenItAnswersAsAnthropicDoes() throws Exception {
		this.simulator = new ProviderSimulator(0.0).start();

		HttpResponse<String> response = postMessage("{\"model\":\"sim-claude\",\"max_tokens\":64,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}", "simulated-key");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"type\":\"message\"")
			.contains("\"stop_reason\":\"end_turn\"")
			.contains("your message had 5 characters");
	}

	@Test
	void whenStreamingAnAnthropicMessageThenNamedEventsEndWithMessageStop() throws Exception {
		this.simulator = new ProviderSimulator(0.0).start();

		HttpResponse<String> response = postMessage("{\"model\":\"sim-claude\",\"max_tokens\":64,\"stream\":true,"
				+ "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}]}",
				"simulated-key");

		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
		assertThat(response.body()).startsWith("event: message_start\ndata: {")
			.contains("event: content_block_delta\ndata: {\"type\":\"content_block_delta\"")
			.contains("\"stop_reason\":\"end_turn\"")
			.endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
	}

	@Test
	void whenAnAnthropicRequestHasNoKeyOrAnUnknownModelThenItFailsAsAnthropicDoes() throws Exception {
		this.simulator = new ProviderSimulator(0.0).start();

		HttpResponse<String> noKey = postMessage("{\"model\":\"sim-claude\",\"max_tokens\":8,\"messages\":[]}", null);
		HttpResponse<String> unknown = postMessage("{\"model\":\"nope\",\"max_tokens\":8,\"messages\":[]}", "k");

		assertThat(noKey.statusCode()).isEqualTo(401);
		assertThat(noKey.body()).contains("\"type\":\"authentication_error\"");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("\"type\":\"not_found_error\"");
	}

	@Test
	void whenThePathIsUnknownThen404() throws Exception {
		this.simulator = new ProviderSimulator(0.0).start();
		assertThat(post("/chat/completions/extra", "sim-secondary").statusCode()).isEqualTo(404);
	}

	@Test
	void whenClosedThenItNoLongerListens() {
		this.simulator = new ProviderSimulator(0.0).start();
		URI uri = URI.create(this.simulator.baseUrl() + "/chat/completions");
		this.simulator.close();
		this.simulator.close();
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> this.http.send(
				HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
				HttpResponse.BodyHandlers.ofString()));
	}

	private HttpResponse<String> postMessage(String json, String apiKey) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.simulator.anthropicBaseUrl() + "/v1/messages"))
			.header("Content-Type", "application/json")
			.header("anthropic-version", "2023-06-01")
			.timeout(Duration.ofSeconds(5))
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (apiKey != null) {
			request.header("x-api-key", apiKey);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String model) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.simulator.baseUrl() + path))
			.header("Authorization", "Bearer simulated-key")
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(5))
			.POST(HttpRequest.BodyPublishers.ofString(SimulatedCompletionsTests.request(model, "Hello")))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}

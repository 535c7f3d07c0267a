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

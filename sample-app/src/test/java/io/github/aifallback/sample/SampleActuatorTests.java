package io.github.aifallback.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.aifallback.test.AutoConfigureFallbackSimulator;
import io.github.aifallback.test.FallbackSimulator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's actuator over real HTTP: with a primary that always fails (scripted with the
 * test kit), its circuit opens, health shows it while the application stays UP, and the
 * {@code aifallback} endpoint puts it back in rotation.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.simulator.enabled=false")
@AutoConfigureFallbackSimulator
class SampleActuatorTests {

	private static final JsonMapper JSON = JsonMapper.shared();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Test
	void whenThePrimaryKeepsFailingThenHealthShowsItsOpenCircuitAndTheEndpointClosesIt(FallbackSimulator simulator)
			throws Exception {
		simulator.entry("primary").failAlways().serverError();
		// Each call fails twice on the primary (max-attempts: 2); by default the circuit opens once
		// its window holds 10 calls, at least half of them failed: after 5 calls here.
		for (int i = 0; i < 5; i++) {
			assertThat(send("POST", "/chat", "{\"message\":\"Hello\"}").statusCode()).isEqualTo(200);
		}
		int sentToPrimary = simulator.requests("primary");
		assertThat(send("POST", "/chat", "{\"message\":\"Hello again\"}").statusCode()).isEqualTo(200);
		assertThat(simulator.requests("primary")).as("an open circuit sends nothing").isEqualTo(sentToPrimary);

		HttpResponse<String> health = send("GET", "/actuator/health", null);
		assertThat(health.statusCode()).isEqualTo(200);
		JsonNode aiFallback = JSON.readTree(health.body()).path("components").path("aiFallback");
		assertThat(JSON.readTree(health.body()).path("status").asString()).isEqualTo("UP");
		assertThat(aiFallback.path("status").asString()).isEqualTo("UP");
		JsonNode primary = aiFallback.path("components").path("primary");
		assertThat(primary.path("status").asString()).isEqualTo("UNKNOWN");
		assertThat(primary.path("details").path("circuitState").asString()).isEqualTo("OPEN");
		assertThat(primary.path("details").path("model").asString()).isEqualTo("sim-primary");
		assertThat(health.body()).doesNotContain(FallbackSimulator.API_KEY).doesNotContain("Hello");

		HttpResponse<String> chain = send("GET", "/actuator/aifallback", null);
		assertThat(chain.statusCode()).isEqualTo(200);
		List<String> entries = new ArrayList<>();
		JSON.readTree(chain.body())
			.path("entries")
			.forEach((entry) -> entries.add(entry.path("name").asString() + "=" + entry.path("circuitState").asString()));
		assertThat(entries).containsExactly("primary=OPEN", "secondary=CLOSED", "tertiary=CLOSED");
		assertThat(chain.body()).doesNotContain(FallbackSimulator.API_KEY).doesNotContain("127.0.0.1");

		HttpResponse<String> closed = send("POST", "/actuator/aifallback/primary", "{\"state\":\"closed\"}");
		assertThat(closed.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(closed.body()).path("circuitState").asString()).isEqualTo("CLOSED");
		assertThat(JSON.readTree(closed.body()).path("failures").asInt()).isZero();
	}

	private HttpResponse<String> send(String method, String path, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(20));
		if (json != null) {
			request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}

package io.github.aifallback.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.autoconfigure.ResilientChatClientCustomizer;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.MutableClock;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole servlet application on 127.0.0.1 with Actuator: two OpenAI-compatible providers in
 * WireMock, health per entry and the {@code aifallback} endpoint over real HTTP, and the exact
 * number of requests each provider receives. Open periods end by moving a test clock.
 */
class FallbackActuatorHttpTests {

	private static final String KEY = "canary-key-3c9d71aa0f";

	private static final JsonMapper JSON = JsonMapper.shared();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@RegisterExtension
	static WireMockExtension first = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension second = OpenAiStubs.provider();

	private final MutableClock clock = new MutableClock();

	private ConfigurableApplicationContext context;

	private int port;

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void whenThePrimaryFailsThenItsCircuitOpensHealthShowsItAndTheApplicationStaysUp() throws Exception {
		start("health,aifallback");
		assertThat(servedBy()).isEqualTo("primary");
		JsonNode primary = getJson("/actuator/health/aiFallback/primary", 200);
		assertThat(primary.path("status").asString()).isEqualTo("UP");
		assertThat(primary.path("details").path("model").asString()).isEqualTo("model-a");
		assertThat(primary.path("details").path("circuitState").asString()).isEqualTo("CLOSED");

		first.stubFor(completion("model-a").willReturn(serverError()));
		assertThat(servedBy()).isEqualTo("secondary");
		assertThat(servedBy()).isEqualTo("secondary");

		first.verify(3, requestsFor("model-a"));
		primary = getJson("/actuator/health/aiFallback/primary", 200);
		assertThat(primary.path("status").asString()).isEqualTo("UNKNOWN");
		assertThat(primary.path("details").path("circuitState").asString()).isEqualTo("OPEN");
		assertThat(primary.path("details").path("consecutiveFailures").asInt()).isEqualTo(2);
		assertThat(primary.path("details").path("lastFailureKind").asString()).isEqualTo("SERVER_ERROR");
		assertThat(primary.path("details").path("openUntil").asString())
			.isEqualTo(this.clock.instant().plusSeconds(30).toString());
		JsonNode health = getJson("/actuator/health", 200);
		assertThat(health.path("status").asString()).isEqualTo("UP");
		assertThat(health.path("components").path("aiFallback").path("status").asString()).isEqualTo("UP");
		for (int i = 0; i < 5; i++) {
			assertThat(servedBy()).isEqualTo("secondary");
		}
		first.verify(3, requestsFor("model-a"));
		second.verify(7, requestsFor("model-b"));
	}

	@Test
	void whenTheOpenPeriodEndsThenOneProbeGoesThroughAndAHealthyOneClosesTheCircuit() throws Exception {
		start("health,aifallback");
		first.stubFor(completion("model-a").willReturn(serverError()));
		servedBy();
		servedBy();
		first.verify(2, requestsFor("model-a"));

		this.clock.advance(Duration.ofSeconds(30));
		assertThat(servedBy()).isEqualTo("secondary");
		assertThat(servedBy()).isEqualTo("secondary");
		first.verify(3, requestsFor("model-a"));
		JsonNode primary = getJson("/actuator/health/aiFallback/primary", 200);
		assertThat(primary.path("details").path("circuitState").asString()).isEqualTo("OPEN");
		assertThat(primary.path("details").path("openUntil").asString())
			.isEqualTo(this.clock.instant().plusSeconds(60).toString());

		first.stubFor(completion("model-a").willReturn(answer("model-a", "back")));
		this.clock.advance(Duration.ofSeconds(60));
		assertThat(servedBy()).isEqualTo("primary");
		assertThat(servedBy()).isEqualTo("primary");
		first.verify(5, requestsFor("model-a"));
		primary = getJson("/actuator/health/aiFallback/primary", 200);
		assertThat(primary.path("status").asString()).isEqualTo("UP");
		assertThat(primary.path("details").path("circuitState").asString()).isEqualTo("CLOSED");
		assertThat(primary.path("details").path("consecutiveFailures").asInt()).isZero();
	}

	@Test
	void whenAnOperatorOpensAnEntryThenNoRequestReachesItUntilItIsClosedAgain() throws Exception {
		start("health,aifallback");
		HttpResponse<String> opened = post("/actuator/aifallback/primary", "{\"state\":\"open\"}");
		assertThat(opened.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(opened.body()).path("circuitState").asString()).isEqualTo("FORCED_OPEN");

		for (int i = 0; i < 3; i++) {
			assertThat(servedBy()).isEqualTo("secondary");
		}
		first.verify(0, requestsFor("model-a"));
		HttpResponse<String> chain = get("/actuator/aifallback");
		assertThat(chain.statusCode()).isEqualTo(200);
		List<String> states = new ArrayList<>();
		JSON.readTree(chain.body())
			.path("entries")
			.forEach((entry) -> states.add(entry.path("name").asString() + "/" + entry.path("model").asString()
					+ "/" + entry.path("circuitState").asString() + "/" + entry.path("successes").asInt()));
		assertThat(states).containsExactly("primary/model-a/FORCED_OPEN/0", "secondary/model-b/CLOSED/3");
		assertThat(chain.body()).doesNotContain(KEY).doesNotContain("127.0.0.1");
		assertThat(chain.body()).as("entries of one endpoint show no deployments, not a null").doesNotContain("deployments");
		assertThat(getJson("/actuator/health/aiFallback/primary", 200).path("status").asString()).isEqualTo("UNKNOWN");
		assertThat(getJson("/actuator/health", 200).path("status").asString()).isEqualTo("UP");

		HttpResponse<String> closed = post("/actuator/aifallback/primary", "{\"state\":\"closed\"}");
		assertThat(closed.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(closed.body()).path("circuitState").asString()).isEqualTo("CLOSED");
		assertThat(servedBy()).isEqualTo("primary");
		first.verify(1, requestsFor("model-a"));
	}

	@Test
	void whenEveryEntryIsTakenOutOfRotationThenTheApplicationIsDown() throws Exception {
		start("health,aifallback");
		post("/actuator/aifallback/primary", "{\"state\":\"open\"}");
		post("/actuator/aifallback/secondary", "{\"state\":\"open\"}");

		JsonNode health = getJson("/actuator/health", 503);

		assertThat(health.path("status").asString()).isEqualTo("DOWN");
		assertThat(health.path("components").path("aiFallback").path("components").path("primary").path("status")
			.asString()).isEqualTo("DOWN");
	}

	@Test
	void whenTheEntryOrTheStateIsUnknownThenTheEndpointAnswers400AndChangesNothing() throws Exception {
		start("health,aifallback");

		assertBadRequest(post("/actuator/aifallback/nope", "{\"state\":\"open\"}"),
				"Unknown chain entry 'nope'; the chain is [primary, secondary]");
		assertBadRequest(post("/actuator/aifallback/primary", "{\"state\":\"sideways\"}"),
				"Unknown state 'sideways'; use \"open\" or \"closed\"");
		assertBadRequest(post("/actuator/aifallback/primary", "{}"),
				"Missing \"state\"; send {\"state\": \"open\"} or {\"state\": \"closed\"}");
		assertThat(getJson("/actuator/health/aiFallback/primary", 200).path("details").path("circuitState").asString())
			.isEqualTo("CLOSED");
	}

	@Test
	void whenTheApplicationExposesTheEndpointWithoutGrantingWritesThenItOnlyReads() throws Exception {
		start("health,aifallback", "read-only");

		assertThat(get("/actuator/aifallback").statusCode()).isEqualTo(200);
		assertThat(post("/actuator/aifallback/primary", "{\"state\":\"open\"}").statusCode()).isIn(404, 405);
		assertThat(servedBy()).isEqualTo("primary");
		assertThat(this.context.getBean(ResilientChatClient.class).circuitBreaker("primary").state())
			.isEqualTo(io.github.aifallback.chat.circuit.CircuitState.CLOSED);
	}

	@Test
	void whenTheApplicationSaysNothingAboutAccessThenTheEndpointIsReadOnly() throws Exception {
		start("health,aifallback", "");

		assertThat(get("/actuator/aifallback").statusCode()).isEqualTo(200);
		assertThat(post("/actuator/aifallback/primary", "{\"state\":\"open\"}").statusCode()).isIn(404, 405);
		assertThat(this.context.getBean(ResilientChatClient.class).circuitBreaker("primary").state())
			.isEqualTo(io.github.aifallback.chat.circuit.CircuitState.CLOSED);
	}

	@Test
	void whenTheApplicationDoesNotExposeTheEndpointThenItIsNotOnTheWeb() throws Exception {
		start("health");

		assertThat(get("/actuator/aifallback").statusCode()).isEqualTo(404);
		assertThat(post("/actuator/aifallback/primary", "{\"state\":\"open\"}").statusCode()).isEqualTo(404);
		assertThat(getJson("/actuator/health/aiFallback/primary", 200).path("status").asString()).isEqualTo("UP");
	}

	private void start(String exposed) {
		start(exposed, "unrestricted");
	}

	private void start(String exposed, String access) {
		first.stubFor(completion("model-a").willReturn(answer("model-a", "from A")));
		second.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		String[] args = { "--server.address=127.0.0.1", "--server.port=0",
				"--management.endpoints.web.exposure.include=" + exposed,
				"--management.endpoint.health.show-details=always", "--management.health.redis.enabled=false",
				access.isEmpty() ? "--ai.fallback.enabled=true" : "--management.endpoint.aifallback.access=" + access,
				"--spring.ai.openai.api-key=" + KEY, "--ai.fallback.chain[0].name=primary",
				"--ai.fallback.chain[0].model=model-a", "--ai.fallback.chain[0].base-url=" + baseUrl(first), "--ai.fallback.chain[0].api-key=" + KEY,
				"--ai.fallback.chain[1].name=secondary", "--ai.fallback.chain[1].model=model-b",
				"--ai.fallback.chain[1].base-url=" + baseUrl(second), "--ai.fallback.chain[1].api-key=" + KEY, "--ai.fallback.retry.max-attempts=1",
				"--ai.fallback.circuit-breaker.failure-threshold=2", "--ai.fallback.circuit-breaker.open-duration=30s",
				// One probe per open period and all traffic back at once: what these requests count.
				"--ai.fallback.circuit-breaker.permitted-number-of-calls-in-half-open-state=1",
				"--ai.fallback.circuit-breaker.slow-start=0s" };
		ResilientChatClientCustomizer testClock = (builder) -> builder.clock(this.clock).sleeper((duration) -> {
		});
		this.context = new SpringApplicationBuilder(App.class).web(WebApplicationType.SERVLET)
			.initializers((context) -> context.getBeanFactory().registerSingleton("testClock", testClock))
			.run(args);
		this.port = Integer.parseInt(this.context.getEnvironment().getProperty("local.server.port"));
	}

	private static void assertBadRequest(HttpResponse<String> response, String error) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(JSON.readTree(response.body()).path("error").asString()).isEqualTo(error);
	}

	private String servedBy() {
		return this.context.getBean(ResilientChatClient.class)
			.call(new Prompt("hello"))
			.getMetadata()
			.get(FallbackMetadata.SERVED_BY);
	}

	private JsonNode getJson(String path, int expectedStatus) throws IOException, InterruptedException {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(expectedStatus);
		assertThat(response.body()).doesNotContain(KEY).doesNotContain("127.0.0.1");
		return JSON.readTree(response.body());
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}

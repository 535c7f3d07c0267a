package io.github.aifallback.autoconfigure;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.aifallback.chat.OpenAiStubs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * The fault mix of issue 19 as one OpenAI-compatible WireMock server on 127.0.0.1: the
 * {@code failing} model answers 503 with {@code Retry-After: 1} on half of its requests and
 * hangs on 2% of them (drawn from a seeded random, in arrival order); every other model
 * answers after a fixed latency. Delays are scheduled (asynchronous responses), so a hanging
 * request holds no server thread, and the request journal is off: a load test sends tens of
 * thousands of requests. Requests are counted per model.
 */
final class FaultMixUpstream implements AutoCloseable {

	private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]+)\"");

	private final WireMockServer server;

	private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

	private final Random random;

	private final String failing;

	private final double failureShare;

	private final double hangShare;

	private final int hangMillis;

	private final int healthyLatencyMillis;

	FaultMixUpstream(String failing, double failureShare, double hangShare, int hangMillis, int healthyLatencyMillis,
			long seed) {
		this.failing = failing;
		this.failureShare = failureShare;
		this.hangShare = hangShare;
		this.hangMillis = hangMillis;
		this.healthyLatencyMillis = healthyLatencyMillis;
		this.random = new Random(seed);
		this.server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1")
			.dynamicPort()
			.containerThreads(64)
			.asynchronousResponseEnabled(true)
			.asynchronousResponseThreads(8)
			.disableRequestJournal()
			.extensions(new FaultMix()));
		this.server.start();
		this.server.stubFor(post(urlEqualTo(OpenAiStubs.PATH)).willReturn(aResponse().withStatus(500)));
	}

	/** The base URL, version path included, as Spring AI 2.0 wants it. */
	String baseUrl() {
		return "http://127.0.0.1:" + this.server.port() + "/v1";
	}

	/** How many requests the model received. */
	long requests(String model) {
		LongAdder count = this.requests.get(model);
		return (count != null) ? count.sum() : 0;
	}

	@Override
	public void close() {
		this.server.stop();
	}

	private double draw() {
		synchronized (this.random) {
			return this.random.nextDouble();
		}
	}

	private ResponseDefinition respond(String model) {
		if (model.equals(this.failing)) {
			double draw = draw();
			if (draw < this.hangShare) {
				return answer(model).withFixedDelay(this.hangMillis).build();
			}
			if (draw < this.hangShare + this.failureShare) {
				return aResponse().withStatus(503)
					.withHeader("Retry-After", "1")
					.withHeader("Content-Type", "application/json")
					.withBody("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"param\":null,"
							+ "\"code\":null}}")
					.build();
			}
			return answer(model).build();
		}
		return answer(model).withFixedDelay(this.healthyLatencyMillis).build();
	}

	private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer(String model) {
		return OpenAiStubs.answer(model, "an answer from " + model);
	}

	/** Decides each request's answer from its model id. */
	private final class FaultMix implements ResponseDefinitionTransformerV2 {

		@Override
		public ResponseDefinition transform(ServeEvent serveEvent) {
			Matcher matcher = MODEL.matcher(serveEvent.getRequest().getBodyAsString());
			String model = matcher.find() ? matcher.group(1) : "unknown";
			FaultMixUpstream.this.requests.computeIfAbsent(model, (m) -> new LongAdder()).increment();
			return respond(model);
		}

		@Override
		public String getName() {
			return "fault-mix";
		}

	}

}

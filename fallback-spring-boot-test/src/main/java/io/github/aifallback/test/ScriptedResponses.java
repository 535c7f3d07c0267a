package io.github.aifallback.test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * The WireMock extension that answers every request with its entry's next scripted reply,
 * in the wire format of the path it came to.
 */
final class ScriptedResponses implements ResponseDefinitionTransformerV2 {

	static final String NAME = "fallback-simulator";

	/** {@code /<entry>/v1/chat/completions} (OpenAI) and {@code /<entry>/v1/messages} (Anthropic). */
	static final String PATHS = "/[^/]+/v1/(chat/completions|messages)";

	private static final Pattern PATH = Pattern.compile("/([^/]+)/v1/(chat/completions|messages)");

	private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

	private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");

	/** Long enough to outlast any attempt timeout; stopping the simulator ends it. */
	private static final int HANG_MILLIS = (int) Duration.ofMinutes(10).toMillis();

	private final FallbackSimulator simulator;

	ScriptedResponses(FallbackSimulator simulator) {
		this.simulator = simulator;
	}

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public boolean applyGlobally() {
		return false;
	}

	@Override
	public ResponseDefinition transform(ServeEvent serveEvent) {
		Matcher path = PATH.matcher(serveEvent.getRequest().getUrl().split("\\?", 2)[0]);
		if (!path.matches()) {
			return aResponse().withStatus(404).build();
		}
		WireFormat format = path.group(2).equals("messages") ? WireFormat.ANTHROPIC : WireFormat.OPENAI;
		String body = serveEvent.getRequest().getBodyAsString();
		Matcher model = MODEL.matcher(body);
		String modelId = model.find() ? model.group(1) : "simulated";
		boolean stream = STREAM.matcher(body).find();
		Reply reply = this.simulator.next(path.group(1), body);
		return respond(reply, format, modelId, stream).build();
	}

	private static ResponseDefinitionBuilder respond(Reply reply, WireFormat format, String model, boolean stream) {
		return switch (reply.kind()) {
			case ANSWER -> delayed(stream ? events(format.stream(model, WireFormat.tokens(reply.text()), true))
					: json(200, format.answer(model, reply.text())), reply.delay());
			case REFUSE -> stream ? events(format.refusalStream(model)) : json(200, format.refusal(model));
			case CUT -> stream ? events(format.stream(model, firstTokens(reply.tokens()), false))
					: cutBody(format.answer(model, "Simulated answer cut short."));
			case HANG -> json(200, format.answer(model, "too late")).withFixedDelay(HANG_MILLIS);
			case QUOTA -> retryAfter(json(format.quotaStatus(), format.quota()), reply.retryAfter());
			case STATUS -> retryAfter(json(reply.status(), format.error(reply.status())), reply.retryAfter());
		};
	}

	private static List<String> firstTokens(int count) {
		return java.util.stream.IntStream.range(0, count).mapToObj((i) -> "token" + i + " ").toList();
	}

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

	private static ResponseDefinitionBuilder events(String body) {
		return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body);
	}

	/** Half of the JSON body: the client reads a body that ends in the middle. */
	private static ResponseDefinitionBuilder cutBody(String body) {
		return json(200, body.substring(0, body.length() / 2));
	}

	private static ResponseDefinitionBuilder delayed(ResponseDefinitionBuilder response, Duration delay) {
		return delay.isZero() ? response : response.withFixedDelay((int) Math.min(Integer.MAX_VALUE, delay.toMillis()));
	}

	private static ResponseDefinitionBuilder retryAfter(ResponseDefinitionBuilder response, Duration retryAfter) {
		if (retryAfter == null) {
			return response;
		}
		long seconds = (retryAfter.toMillis() + 999) / 1000;
		return response.withHeader("Retry-After", Long.toString(seconds))
			.withHeader("retry-after-ms", Long.toString(retryAfter.toMillis()));
	}

}

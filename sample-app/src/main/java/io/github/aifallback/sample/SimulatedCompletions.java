package io.github.aifallback.sample;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The behaviour of the simulated models behind {@code POST /v1/chat/completions}, free of HTTP
 * so that it can be tested directly.
 * <p>
 * {@code sim-primary} fails a configurable share of calls with a 500 or a 429 carrying
 * {@code Retry-After: 1}; {@code sim-secondary} and {@code sim-tertiary} always answer. Answers
 * name the model and describe the last user message by its length only: the prompt is never
 * echoed.
 */
final class SimulatedCompletions {

	static final String PRIMARY = "sim-primary";

	static final String SECONDARY = "sim-secondary";

	static final String TERTIARY = "sim-tertiary";

	private static final JsonMapper JSON = JsonMapper.shared();

	private final double primaryFailureRate;

	private final RandomGenerator random;

	private final Clock clock;

	private final AtomicLong ids = new AtomicLong();

	SimulatedCompletions(double primaryFailureRate, RandomGenerator random, Clock clock) {
		if (!(primaryFailureRate >= 0.0 && primaryFailureRate <= 1.0)) {
			throw new IllegalArgumentException(
					"primaryFailureRate must be between 0.0 and 1.0, was " + primaryFailureRate);
		}
		this.primaryFailureRate = primaryFailureRate;
		this.random = random;
		this.clock = clock;
	}

	SimulatedReply reply(String authorization, String body) {
		if (authorization == null || !authorization.startsWith("Bearer ") || authorization.length() == 7) {
			return error(401, "Missing bearer authentication in header", "invalid_request_error", "invalid_api_key");
		}
		JsonNode request;
		try {
			request = JSON.readTree(body);
		}
		catch (JacksonException ex) {
			return error(400, "The request body is not valid JSON.", "invalid_request_error", "invalid_json");
		}
		if (request == null || !request.isObject()) {
			return error(400, "The request body must be a JSON object.", "invalid_request_error", "invalid_json");
		}
		String model = request.path("model").asString("");
		boolean stream = request.path("stream").asBoolean(false);
		return switch (model) {
			case PRIMARY -> primaryFailure().orElseGet(() -> answer(model, request, stream));
			case SECONDARY, TERTIARY -> answer(model, request, stream);
			default -> error(404, "The model '" + safe(model) + "' does not exist.", "invalid_request_error",
					"model_not_found");
		};
	}

	private Optional<SimulatedReply> primaryFailure() {
		boolean fails;
		boolean serverError;
		// The generator is shared by the server's threads and need not be thread-safe.
		synchronized (this.random) {
			// nextDouble() is in [0, 1): a rate of 1.0 always fails, 0.0 never does.
			fails = this.random.nextDouble() < this.primaryFailureRate;
			serverError = fails && this.random.nextBoolean();
		}
		if (!fails) {
			return Optional.empty();
		}
		if (serverError) {
			return Optional.of(error(500, "The simulated server had an error while processing your request.",
					"server_error", null));
		}
		SimulatedReply tooMany = error(429, "Simulated rate limit reached. Please try again in 1s.",
				"rate_limit_exceeded", "rate_limit_exceeded");
		return Optional.of(new SimulatedReply(429, Map.of("Retry-After", "1"), tooMany.body()));
	}

	private SimulatedReply answer(String model, JsonNode request, boolean stream) {
		String content = content(model, request);
		return stream ? chunks(model, content) : completion(model, request, content);
	}

	private static String content(String model, JsonNode request) {
		int characters = lastUserMessageLength(request.path("messages"));
		return "Simulated answer from " + model + ": your message had " + characters + " characters.";
	}

	/** The answer as OpenAI streams it: a role chunk, one chunk per word, a finish chunk, [DONE]. */
	private SimulatedReply chunks(String model, String content) {
		String id = "chatcmpl-sim-" + this.ids.incrementAndGet();
		long created = this.clock.instant().getEpochSecond();
		List<String> events = new ArrayList<>();
		events.add(chunk(id, created, model, JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
		String[] words = content.split("(?<= )");
		for (String word : words) {
			events.add(chunk(id, created, model, JSON.createObjectNode().put("content", word), null));
		}
		events.add(chunk(id, created, model, JSON.createObjectNode(), "stop"));
		events.add("[DONE]");
		return SimulatedReply.stream(events);
	}

	private static String chunk(String id, long created, String model, ObjectNode delta, String finishReason) {
		ObjectNode root = JSON.createObjectNode();
		root.put("id", id);
		root.put("object", "chat.completion.chunk");
		root.put("created", created);
		root.put("model", model);
		ObjectNode choice = root.putArray("choices").addObject();
		choice.put("index", 0);
		choice.set("delta", delta);
		if (finishReason != null) {
			choice.put("finish_reason", finishReason);
		}
		else {
			choice.putNull("finish_reason");
		}
		return JSON.writeValueAsString(root);
	}

	private SimulatedReply completion(String model, JsonNode request, String content) {
		int characters = lastUserMessageLength(request.path("messages"));
		int promptTokens = Math.max(1, characters / 4);
		int completionTokens = Math.max(1, content.length() / 4);
		ObjectNode root = JSON.createObjectNode();
		root.put("id", "chatcmpl-sim-" + this.ids.incrementAndGet());
		root.put("object", "chat.completion");
		root.put("created", this.clock.instant().getEpochSecond());
		root.put("model", model);
		ObjectNode choice = root.putArray("choices").addObject();
		choice.put("index", 0);
		ObjectNode message = choice.putObject("message");
		message.put("role", "assistant");
		message.put("content", content);
		message.putNull("refusal");
		message.putArray("annotations");
		choice.putNull("logprobs");
		choice.put("finish_reason", "stop");
		ObjectNode usage = root.putObject("usage");
		usage.put("prompt_tokens", promptTokens);
		usage.put("completion_tokens", completionTokens);
		usage.put("total_tokens", promptTokens + completionTokens);
		root.put("system_fingerprint", "fp_simulator");
		return SimulatedReply.json(200, JSON.writeValueAsString(root));
	}

	static int lastUserMessageLength(JsonNode messages) {
		int length = 0;
		for (JsonNode message : messages) {
			if ("user".equals(message.path("role").asString(""))) {
				length = contentLength(message.path("content"));
			}
		}
		return length;
	}

	private static int contentLength(JsonNode content) {
		if (content.isString()) {
			return content.asString().length();
		}
		int length = 0;
		for (JsonNode part : content) {
			length += part.path("text").asString("").length();
		}
		return length;
	}

	static SimulatedReply error(int status, String message, String type, String code) {
		ObjectNode root = JSON.createObjectNode();
		ObjectNode error = root.putObject("error");
		error.put("message", message);
		error.put("type", type);
		error.putNull("param");
		if (code != null) {
			error.put("code", code);
		}
		else {
			error.putNull("code");
		}
		return SimulatedReply.json(status, JSON.writeValueAsString(root));
	}

	static String safe(String model) {
		// The model id comes from the request: keep what is echoed short and printable.
		String printable = model.replaceAll("[^A-Za-z0-9._:/-]", "?");
		return printable.length() > 64 ? printable.substring(0, 64) + "..." : printable;
	}

}

package io.github.aifallback.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The models the simulator plays behind Anthropic's Messages API ({@code POST /v1/messages}):
 * {@value #CLAUDE} always answers, as JSON or as Anthropic's server-sent events. Requests
 * need an {@code x-api-key} header, as Anthropic's do.
 */
final class SimulatedMessages {

	static final String PATH = "/v1/messages";

	static final String CLAUDE = "sim-claude";

	private static final JsonMapper JSON = JsonMapper.shared();

	private final AtomicLong ids = new AtomicLong();

	SimulatedReply reply(String apiKey, String body) {
		if (apiKey == null || apiKey.isBlank()) {
			return error(401, "authentication_error", "x-api-key header is required");
		}
		JsonNode request;
		try {
			request = JSON.readTree(body);
		}
		catch (JacksonException ex) {
			return error(400, "invalid_request_error", "The request body is not valid JSON.");
		}
		if (request == null || !request.isObject()) {
			return error(400, "invalid_request_error", "The request body must be a JSON object.");
		}
		String model = request.path("model").asString("");
		if (!CLAUDE.equals(model)) {
			return error(404, "not_found_error", "model: " + SimulatedCompletions.safe(model));
		}
		if (!request.path("max_tokens").isNumber()) {
			return error(400, "invalid_request_error", "max_tokens: Field required");
		}
		String content = "Simulated answer from " + model + ": your message had "
				+ SimulatedCompletions.lastUserMessageLength(request.path("messages")) + " characters.";
		String id = "msg_sim_" + this.ids.incrementAndGet();
		return request.path("stream").asBoolean(false) ? events(id, model, content) : message(id, model, content);
	}

	private static SimulatedReply message(String id, String model, String content) {
		ObjectNode root = JSON.createObjectNode();
		root.put("id", id);
		root.put("type", "message");
		root.put("role", "assistant");
		root.put("model", model);
		root.putArray("content").addObject().put("type", "text").put("text", content);
		root.put("stop_reason", "end_turn");
		root.putNull("stop_sequence");
		root.putObject("usage").put("input_tokens", 10).put("output_tokens", Math.max(1, content.length() / 4));
		return SimulatedReply.json(200, JSON.writeValueAsString(root));
	}

	/** The answer as Anthropic streams it: message, content block, one delta per word, stop. */
	private static SimulatedReply events(String id, String model, String content) {
		List<String> events = new ArrayList<>();
		ObjectNode start = JSON.createObjectNode().put("type", "message_start");
		ObjectNode message = start.putObject("message");
		message.put("id", id).put("type", "message").put("role", "assistant").put("model", model);
		message.putArray("content");
		message.putNull("stop_reason");
		message.putNull("stop_sequence");
		message.putObject("usage").put("input_tokens", 10).put("output_tokens", 1);
		events.add(event("message_start", start));
		ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
		blockStart.putObject("content_block").put("type", "text").put("text", "");
		events.add(event("content_block_start", blockStart));
		for (String word : content.split("(?<= )")) {
			ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
			delta.putObject("delta").put("type", "text_delta").put("text", word);
			events.add(event("content_block_delta", delta));
		}
		events.add(event("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", 0)));
		ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
		messageDelta.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
		messageDelta.putObject("usage").put("output_tokens", Math.max(1, content.length() / 4));
		events.add(event("message_delta", messageDelta));
		events.add(event("message_stop", JSON.createObjectNode().put("type", "message_stop")));
		return SimulatedReply.stream(events);
	}

	/** A whole server-sent event, named as Anthropic names them. */
	private static String event(String name, ObjectNode data) {
		return "event: " + name + "\ndata: " + JSON.writeValueAsString(data);
	}

	static SimulatedReply error(int status, String type, String message) {
		ObjectNode root = JSON.createObjectNode().put("type", "error");
		root.putObject("error").put("type", type).put("message", message);
		return SimulatedReply.json(status, JSON.writeValueAsString(root));
	}

}

package io.github.aifallback.chat.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.aifallback.chat.lastgood.LastGoodAnswer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A last good answer as the starter's own JSON, for caches shared between instances: a
 * fixed schema read field by field into a {@link LastGoodAnswer}, never a class named by
 * the data. Whatever else a shared cache holds under a key (a Java-serialised object,
 * malformed or foreign JSON, an oversized value) reads as {@code null}, a miss.
 */
final class LastGoodAnswerJson {

	/** The schema's version: a value of another version is a miss, not an error. */
	static final int VERSION = 1;

	/** Larger values are not parsed: no answer the starter stores comes near. */
	static final int MAX_BYTES = 8 * 1024 * 1024;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private LastGoodAnswerJson() {
	}

	static byte[] write(LastGoodAnswer answer) {
		ObjectNode root = JSON.createObjectNode();
		root.put("v", VERSION);
		ArrayNode generations = root.putArray("generations");
		for (LastGoodAnswer.StoredGeneration generation : answer.generations()) {
			generations.addObject().put("text", generation.text()).put("finishReason", generation.finishReason());
		}
		root.put("id", answer.id());
		root.put("model", answer.model());
		root.put("promptTokens", answer.promptTokens());
		root.put("completionTokens", answer.completionTokens());
		root.put("totalTokens", answer.totalTokens());
		root.put("servedBy", answer.servedBy());
		root.put("storedAt", answer.storedAt().toString());
		return JSON.writeValueAsBytes(root);
	}

	/**
	 * The answer in these bytes, or {@code null} when they are not one.
	 * @throws InvalidValueException with a reason (never the value) when they are not one
	 */
	static LastGoodAnswer read(byte[] bytes) {
		if (bytes.length > MAX_BYTES) {
			throw new InvalidValueException("a value of " + bytes.length + " bytes");
		}
		JsonNode root;
		try {
			root = JSON.readTree(bytes);
		}
		catch (JacksonException ex) {
			throw new InvalidValueException("a value that is not JSON");
		}
		if (root == null || !root.isObject() || !root.path("v").isInt() || root.path("v").intValue() != VERSION) {
			throw new InvalidValueException("JSON that is not a last good answer of version " + VERSION);
		}
		JsonNode generationsNode = root.path("generations");
		if (!generationsNode.isArray() || generationsNode.isEmpty()) {
			throw new InvalidValueException("an answer without generations");
		}
		List<LastGoodAnswer.StoredGeneration> generations = new ArrayList<>();
		for (JsonNode generation : generationsNode) {
			String text = text(generation, "text");
			if (text == null) {
				throw new InvalidValueException("a generation without text");
			}
			generations.add(new LastGoodAnswer.StoredGeneration(text, text(generation, "finishReason")));
		}
		String servedBy = text(root, "servedBy");
		String storedAt = text(root, "storedAt");
		if (servedBy == null || storedAt == null) {
			throw new InvalidValueException("an answer without servedBy or storedAt");
		}
		try {
			return new LastGoodAnswer(List.copyOf(generations), text(root, "id"), text(root, "model"),
					integer(root, "promptTokens"), integer(root, "completionTokens"), integer(root, "totalTokens"),
					servedBy, Instant.parse(storedAt));
		}
		catch (java.time.format.DateTimeParseException ex) {
			throw new InvalidValueException("an answer whose storedAt is not an instant");
		}
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = (node != null && node.isObject()) ? node.get(field) : null;
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw new InvalidValueException("a field '" + field + "' that is not a string");
		}
		return value.stringValue();
	}

	private static Integer integer(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isInt()) {
			throw new InvalidValueException("a field '" + field + "' that is not an int");
		}
		return value.intValue();
	}

	/** What a shared cache held is not an answer; the message never holds the value. */
	static final class InvalidValueException extends RuntimeException {

		InvalidValueException(String message) {
			super(message, null, false, false);
		}

	}

}

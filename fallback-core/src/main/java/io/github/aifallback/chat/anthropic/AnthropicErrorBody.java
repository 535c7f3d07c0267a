package io.github.aifallback.chat.anthropic;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.anthropic.core.JsonValue;
import com.anthropic.errors.AnthropicServiceException;

/**
 * What an error body says, read leniently from the SDK's untyped view of it. Anthropic's
 * shape is {@code {"type":"error","error":{"type":"rate_limit_error","message":"..."}}},
 * but a proxy in front may send anything (an array, a bare string, OpenAI's shape, deep
 * nesting): the error's own {@code type} wins over the envelope's {@code "error"}, the
 * rest is found breadth-first, and the walk is bounded. Never throws.
 */
final class AnthropicErrorBody {

	static final AnthropicErrorBody EMPTY = new AnthropicErrorBody(null, null, "");

	// Bounds on the walk, whatever the body: a few hundred values say all there is to say.
	private static final int MAX_DEPTH = 16;

	private static final int MAX_VALUES = 2000;

	private static final int MAX_TEXT = 16 * 1024;

	private final String type;

	private final String message;

	private final String text;

	private AnthropicErrorBody(String type, String message, String text) {
		this.type = type;
		this.message = message;
		this.text = text;
	}

	/** The body of a provider's error, read leniently; {@link #EMPTY} when unreadable. */
	static AnthropicErrorBody of(AnthropicServiceException service) {
		try {
			return of(service.body());
		}
		catch (RuntimeException | StackOverflowError ex) {
			return EMPTY;
		}
	}

	static AnthropicErrorBody of(JsonValue body) {
		if (body == null) {
			return EMPTY;
		}
		Walk walk = new Walk();
		walk.run(body);
		return new AnthropicErrorBody(walk.type, walk.message, walk.text.toString().toLowerCase(Locale.ROOT));
	}

	/** The error's type ({@code overloaded_error}), nearest the top, never the envelope's. */
	String type() {
		return this.type;
	}

	/** The first message found, nearest the top (or the body itself when it is a string). */
	String message() {
		return this.message;
	}

	/** Whether any string or number in the body contains one of the markers (lower case). */
	boolean mentions(List<String> markers) {
		return markers.stream().anyMatch(this.text::contains);
	}

	private static final class Walk {

		private String type;

		private String message;

		private final StringBuilder text = new StringBuilder();

		void run(JsonValue body) {
			Deque<Node> queue = new ArrayDeque<>();
			queue.add(new Node(body, 0));
			int visited = 0;
			while (!queue.isEmpty() && visited++ < MAX_VALUES) {
				Node node = queue.poll();
				String scalar = scalar(node.value());
				if (scalar != null) {
					append(scalar);
					if (node.depth() == 0 && this.message == null) {
						this.message = scalar;
					}
					continue;
				}
				if (node.depth() >= MAX_DEPTH) {
					continue;
				}
				Optional<List<JsonValue>> array = node.value().asArray();
				if (array.isPresent()) {
					array.get().forEach((element) -> queue.add(new Node(element, node.depth() + 1)));
					continue;
				}
				Optional<Map<String, JsonValue>> object = node.value().asObject();
				if (object.isPresent()) {
					for (Map.Entry<String, JsonValue> member : object.get().entrySet()) {
						read(member.getKey(), member.getValue());
						queue.add(new Node(member.getValue(), node.depth() + 1));
					}
				}
			}
		}

		private void read(String key, JsonValue value) {
			String name = (key != null) ? key.toLowerCase(Locale.ROOT) : "";
			String scalar = scalar(value);
			if (scalar == null || scalar.isBlank()) {
				return;
			}
			// The envelope's "type":"error" says nothing: the error object's type does.
			if (name.equals("type") && this.type == null && !scalar.equalsIgnoreCase("error")) {
				this.type = scalar;
			}
			else if ((name.equals("message") || name.equals("detail")) && this.message == null) {
				this.message = scalar;
			}
		}

		private void append(String scalar) {
			if (this.text.length() < MAX_TEXT) {
				int room = MAX_TEXT - this.text.length();
				this.text.append(' ').append((scalar.length() > room) ? scalar.substring(0, room) : scalar);
			}
		}

		private static String scalar(JsonValue value) {
			Optional<String> string = value.asString();
			if (string.isPresent()) {
				return string.get();
			}
			Optional<Number> number = value.asNumber();
			if (number.isPresent()) {
				return number.get().toString();
			}
			Optional<Boolean> bool = value.asBoolean();
			return bool.isPresent() ? String.valueOf(bool.get()) : null;
		}

	}

	private record Node(JsonValue value, int depth) {
	}

}

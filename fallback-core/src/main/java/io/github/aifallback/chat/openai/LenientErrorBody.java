package io.github.aifallback.chat.openai;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.openai.core.JsonValue;
import com.openai.errors.OpenAIServiceException;

/**
 * What an error body says, read leniently from the SDK's untyped view of it: any shape
 * (OpenAI's, Azure's, a proxy's, an array, a bare string), any nesting, codes as strings or
 * numbers. The SDK's typed accessors ({@code type()}, {@code code()}) throw on bodies not
 * shaped like OpenAI's; this class never calls them and never throws.
 */
final class LenientErrorBody {

	static final LenientErrorBody EMPTY = new LenientErrorBody(null, null, null, "");

	// Bounds on the walk, whatever the body: a few hundred values say all there is to say.
	private static final int MAX_DEPTH = 16;

	private static final int MAX_VALUES = 2000;

	private static final int MAX_TEXT = 16 * 1024;

	private static final List<String> MESSAGE_KEYS = List.of("message", "msg", "detail", "error_description",
			"error_message", "error");

	private final String type;

	private final String code;

	private final String message;

	private final String text;

	private LenientErrorBody(String type, String code, String message, String text) {
		this.type = type;
		this.code = code;
		this.message = message;
		this.text = text;
	}

	/** The body of a provider's error, read leniently; {@link #EMPTY} when unreadable. */
	static LenientErrorBody of(OpenAIServiceException service) {
		try {
			return of(service.body());
		}
		catch (RuntimeException | StackOverflowError ex) {
			return EMPTY;
		}
	}

	static LenientErrorBody of(JsonValue body) {
		if (body == null) {
			return EMPTY;
		}
		Walk walk = new Walk();
		walk.run(body);
		return new LenientErrorBody(walk.type, walk.code, walk.message, walk.text.toString().toLowerCase(Locale.ROOT));
	}

	/** The first {@code type} found, nearest the top, as text. */
	String type() {
		return this.type;
	}

	/** The first {@code code} found, nearest the top, as text (a number too). */
	String code() {
		return this.code;
	}

	/** The first message found, nearest the top (or the body itself when it is a string). */
	String message() {
		return this.message;
	}

	/** Whether any string or number in the body contains one of the markers (lower case). */
	boolean mentions(List<String> markers) {
		return markers.stream().anyMatch(this.text::contains);
	}

	/** A breadth-first walk, so that the outermost {@code type}, {@code code} and message win. */
	private static final class Walk {

		private String type;

		private String code;

		private String message;

		private String messageKey;

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
			if (name.equals("type") && this.type == null) {
				this.type = scalar;
			}
			else if (name.equals("code") && this.code == null) {
				this.code = scalar;
			}
			else if (MESSAGE_KEYS.contains(name) && betterMessageKey(name)) {
				this.message = scalar;
				this.messageKey = name;
			}
		}

		/** At one level, {@code message} beats {@code error}; the first one found wins otherwise. */
		private boolean betterMessageKey(String name) {
			if (this.message == null) {
				return true;
			}
			return "error".equals(this.messageKey) && !"error".equals(name);
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
				return number(number.get());
			}
			Optional<?> bool = value.asBoolean();
			return bool.isPresent() ? String.valueOf(bool.get()) : null;
		}

		private static String number(Number number) {
			double value = number.doubleValue();
			if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
				return Long.toString((long) value);
			}
			return number.toString();
		}

	}

	private record Node(JsonValue value, int depth) {
	}

}

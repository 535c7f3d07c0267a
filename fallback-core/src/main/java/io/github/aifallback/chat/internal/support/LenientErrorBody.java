package io.github.aifallback.chat.internal.support;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a provider's error body says, read leniently from an SDK's untyped view of it: any
 * shape (the vendor's, a proxy's, an array, a bare string), any nesting, codes as strings
 * or numbers. The walk is breadth-first, so that the outermost {@code type}, {@code code}
 * and message win, and bounded (depth, number of values, characters kept), whatever the
 * body. Never throws. Internal to the adapters: public only so that each adapter package
 * can read its own SDK's body with it; the engine never does.
 *
 * @since 0.1.0
 */
public final class LenientErrorBody {

	/** Nothing readable. */
	public static final LenientErrorBody EMPTY = new LenientErrorBody(null, null, null, "");

	// Bounds on the walk, whatever the body: a few hundred values say all there is to say.
	private static final int MAX_DEPTH = 16;

	private static final int MAX_VALUES = 2000;

	private static final int MAX_TEXT = 16 * 1024;

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

	/**
	 * Read a body.
	 * @param <T> the SDK's type of a JSON value
	 * @param body gives the SDK's body (may throw, or give {@code null})
	 * @param tree how to look into the SDK's JSON values
	 * @param dialect which keys name the message and which types say nothing
	 * @return what the body says, {@link #EMPTY} when it is absent or unreadable
	 */
	public static <T> LenientErrorBody read(Supplier<T> body, Tree<T> tree, Dialect dialect) {
		try {
			T value = body.get();
			if (value == null) {
				return EMPTY;
			}
			Walk<T> walk = new Walk<>(tree, dialect);
			walk.run(value);
			return new LenientErrorBody(walk.type, walk.code, walk.message,
					walk.text.toString().toLowerCase(Locale.ROOT));
		}
		catch (RuntimeException | StackOverflowError ex) {
			return EMPTY;
		}
	}

	/**
	 * The first {@code type} found, nearest the top, as text.
	 * @return the type, or {@code null}
	 */
	public String type() {
		return this.type;
	}

	/**
	 * The first {@code code} found, nearest the top, as text (a number too).
	 * @return the code, or {@code null}
	 */
	public String code() {
		return this.code;
	}

	/**
	 * The first message found, nearest the top (or the body itself when it is a string).
	 * @return the message, or {@code null}
	 */
	public String message() {
		return this.message;
	}

	/**
	 * Whether any string or number in the body contains one of the markers.
	 * @param markers lower-case markers
	 * @return whether one is found
	 */
	public boolean mentions(List<String> markers) {
		return markers.stream().anyMatch(this.text::contains);
	}

	/**
	 * How to look into one SDK's JSON values.
	 *
	 * @param <T> the SDK's type of a JSON value
	 */
	public interface Tree<T> {

		/**
		 * The text of a string, number or boolean.
		 * @param value a value
		 * @return its text, or {@code null} when it is no scalar
		 */
		String scalar(T value);

		/**
		 * The elements of an array.
		 * @param value a value
		 * @return its elements, or {@code null} when it is no array
		 */
		List<T> elements(T value);

		/**
		 * The members of an object.
		 * @param value a value
		 * @return its members, or {@code null} when it is no object
		 */
		Map<String, T> members(T value);

	}

	/**
	 * What one vendor's bodies call their parts.
	 *
	 * @param messageKeys the keys of a message (lower case), an {@code error} one losing to
	 * any other at the same level
	 * @param silentTypes values of {@code type} that say nothing about the error (an
	 * envelope's {@code "type":"error"})
	 */
	public record Dialect(List<String> messageKeys, List<String> silentTypes) {
	}

	private static final class Walk<T> {

		private final Tree<T> tree;

		private final Dialect dialect;

		private String type;

		private String code;

		private String message;

		private String messageKey;

		private final StringBuilder text = new StringBuilder();

		Walk(Tree<T> tree, Dialect dialect) {
			this.tree = tree;
			this.dialect = dialect;
		}

		void run(T body) {
			Deque<Node<T>> queue = new ArrayDeque<>();
			queue.add(new Node<>(body, 0));
			int visited = 0;
			while (!queue.isEmpty() && visited++ < MAX_VALUES) {
				Node<T> node = queue.poll();
				String scalar = this.tree.scalar(node.value());
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
				List<T> array = this.tree.elements(node.value());
				if (array != null) {
					array.forEach((element) -> queue.add(new Node<>(element, node.depth() + 1)));
					continue;
				}
				Map<String, T> object = this.tree.members(node.value());
				if (object != null) {
					for (Map.Entry<String, T> member : object.entrySet()) {
						read(member.getKey(), member.getValue());
						queue.add(new Node<>(member.getValue(), node.depth() + 1));
					}
				}
			}
		}

		private void read(String key, T value) {
			String name = (key != null) ? key.toLowerCase(Locale.ROOT) : "";
			String scalar = this.tree.scalar(value);
			if (scalar == null || scalar.isBlank()) {
				return;
			}
			if (name.equals("type") && this.type == null && !isSilent(scalar)) {
				this.type = scalar;
			}
			else if (name.equals("code") && this.code == null) {
				this.code = scalar;
			}
			else if (this.dialect.messageKeys().contains(name) && betterMessageKey(name)) {
				this.message = scalar;
				this.messageKey = name;
			}
		}

		private boolean isSilent(String type) {
			return this.dialect.silentTypes().stream().anyMatch(type::equalsIgnoreCase);
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

	}

	private record Node<T>(T value, int depth) {
	}

}

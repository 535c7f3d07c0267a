package io.github.aifallback.chat.lastgood.internal;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.beans.BeanUtils;


/**
 * The canonical form of a request's options: every property of the {@link ChatOptions}
 * but the model, found by reflection (so a property that a new Spring AI version adds is
 * covered without a change here), with map keys sorted, and tool callbacks reduced to
 * their definitions. Only plain values have a canonical form (strings, numbers, booleans,
 * enums, maps, collections and arrays of them, a few JDK value types, and Spring AI's and
 * the OpenAI SDK's own option types); anything else, such as an arbitrary object in the
 * tool context, makes the whole request {@link NotCanonicalException not canonical}: it
 * must then be neither stored nor served, since two such requests could differ in a way
 * no key shows.
 */
public final class CanonicalOptions {

	/** Deeper nesting than this is treated as a cycle, never walked further. */
	static final int MAX_DEPTH = 32;

	private static final Set<String> SKIPPED = Set.of("class", "model");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Logger logger = LoggerFactory.getLogger(LogLimiter.CLIENT_LOGGER);

	private final StringBuilder out = new StringBuilder(256);

	/** The form of absent options, built on first use (after this class's statics). */
	private static final class Absent {

		static final String FORM = form();

		private static String form() {
			CanonicalOptions canonical = new CanonicalOptions();
			canonical.token("bean", "0");
			return canonical.out.toString();
		}

	}

	private CanonicalOptions() {
	}

	/**
	 * The canonical form of the options. Only the properties that are set count, and not
	 * the options' type: absent options and empty ones of any vendor hash alike, and so do
	 * the same portable settings (a temperature) in any vendor's options type.
	 * @throws NotCanonicalException when a value has no canonical form
	 */
	static String of(ChatOptions options) {
		if (options == null) {
			// Most requests carry none: the same form every time, built once.
			return Absent.FORM;
		}
		String hidden = HIDDEN_STATE.get(options.getClass());
		if (hidden != null) {
			throw new NotCanonicalException(hidden);
		}
		CanonicalOptions canonical = new CanonicalOptions();
		canonical.bean(options, 0);
		return canonical.out.toString();
	}

	/**
	 * Why an options type of the application's own has state its getters do not show (a
	 * field with no getter of its name), or {@code null} when it has none. Only the fields
	 * the application's classes declare count: Spring AI's own options types are read by
	 * their getters, as they are meant to be. Two requests that differ only in such a field
	 * would share a key, so they get none (fail closed), and a WARN line says so once per
	 * type.
	 */
	private static final ClassValue<String> HIDDEN_STATE = new ClassValue<>() {

		@Override
		protected String computeValue(Class<?> type) {
			String hidden = hiddenField(type);
			if (hidden != null) {
				logger.warn("AI fallback: requests with options of type {} neither store nor serve last good "
						+ "answers: {}. Give it a getter (or make the options a record) to include it in the "
						+ "last-good key.", type.getName(), hidden);
			}
			return hidden;
		}

	};

	private static String hiddenField(Class<?> type) {
		if (type.isRecord()) {
			return null;
		}
		for (Class<?> declaring = type; declaring != null && declaring != Object.class
				&& !declaring.getName().startsWith("org.springframework.ai."); declaring = declaring.getSuperclass()) {
			for (Field field : declaring.getDeclaredFields()) {
				if (Modifier.isStatic(field.getModifiers()) || field.isSynthetic()
						|| SKIPPED.contains(field.getName())) {
					continue;
				}
				PropertyDescriptor descriptor = BeanUtils.getPropertyDescriptor(type, field.getName());
				if (descriptor == null || descriptor.getReadMethod() == null) {
					return "its field '" + field.getName() + "' (of " + declaring.getName() + ") has no getter";
				}
			}
		}
		return null;
	}

	private void value(Object value, int depth) {
		if (depth > MAX_DEPTH) {
			throw new NotCanonicalException("options nested deeper than " + MAX_DEPTH);
		}
		if (value == null) {
			token("null");
		}
		else if (value instanceof CharSequence || value instanceof Character) {
			token("s", value.toString());
		}
		else if (value instanceof Boolean) {
			token("b", value.toString());
		}
		else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
				|| value instanceof BigInteger) {
			token("i", value.toString());
		}
		else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
			token("f", value.toString());
		}
		else if (value instanceof Enum<?> constant) {
			token("e", constant.getDeclaringClass().getName(), constant.name());
		}
		else if (value instanceof Duration || value instanceof Temporal || value instanceof UUID
				|| value instanceof URI || value instanceof Locale) {
			token("v", value.getClass().getName(), value.toString());
		}
		else if (value instanceof Map<?, ?> map) {
			map(map, depth);
		}
		else if (value instanceof List<?> list) {
			token("list", Integer.toString(list.size()));
			for (Object element : list) {
				value(element, depth + 1);
			}
		}
		else if (value instanceof Collection<?> collection) {
			unordered(collection, depth);
		}
		else if (value.getClass().isArray()) {
			int length = Array.getLength(value);
			token("array", Integer.toString(length));
			for (int i = 0; i < length; i++) {
				value(Array.get(value, i), depth + 1);
			}
		}
		else if (value instanceof ToolCallback callback) {
			ToolDefinition definition = callback.getToolDefinition();
			token("tool", definition.name(), definition.description(), definition.inputSchema());
		}
		else if (value instanceof JsonNode node) {
			value(JSON.treeToValue(node, Object.class), depth + 1);
		}
		else if (value.getClass().getName().startsWith("com.openai.")) {
			token("openai", value.getClass().getName(), OpenAiSdkJson.write(value));
		}
		else if (isOptionType(value.getClass())) {
			bean(value, depth + 1);
		}
		else {
			throw new NotCanonicalException("an option value of type " + value.getClass().getName());
		}
	}

	/**
	 * Spring AI's own option types: options, and the types nested in an options or model
	 * class (response format, stream options, audio). Other objects may hold state their
	 * getters do not show, so they are never walked.
	 */
	private static boolean isOptionType(Class<?> type) {
		if (!type.getName().startsWith("org.springframework.ai.")) {
			return false;
		}
		Class<?> enclosing = type.getEnclosingClass();
		return ChatOptions.class.isAssignableFrom(type) || (enclosing != null
				&& (ChatOptions.class.isAssignableFrom(enclosing) || ChatModel.class.isAssignableFrom(enclosing)));
	}

	/** Every readable property, by name; records by their components. */
	private void bean(Object bean, int depth) {
		List<Property> properties = properties(bean.getClass());
		if (properties.isEmpty() && depth > 0) {
			throw new NotCanonicalException("an option value of type " + bean.getClass().getName());
		}
		Map<String, Object> defaults = (depth == 0) ? DEFAULTS.get(bean.getClass()) : Map.of();
		List<Object[]> set = new ArrayList<>(properties.size());
		for (Property property : properties) {
			Object value = property.read(bean);
			if (!isUnset(value) && !(defaults.containsKey(property.name())
					&& Objects.deepEquals(value, defaults.get(property.name())))) {
				set.add(new Object[] { property.name(), value });
			}
		}
		token("bean", Integer.toString(set.size()));
		for (Object[] property : set) {
			token("p", (String) property[0]);
			value(property[1], depth + 1);
		}
	}

	/**
	 * The property values of a fresh instance of an options type (its no-argument
	 * constructor, or {@code builder().build()}), read once per type: a value equal to its
	 * type's default was not set by the caller, so an empty options object of any vendor
	 * hashes like none.
	 */
	private static final ClassValue<Map<String, Object>> DEFAULTS = new ClassValue<>() {

		@Override
		protected Map<String, Object> computeValue(Class<?> type) {
			Object fresh = freshInstance(type);
			if (fresh == null) {
				return Map.of();
			}
			Map<String, Object> values = new HashMap<>();
			for (Property property : properties(type)) {
				try {
					values.put(property.name(), property.read(fresh));
				}
				catch (NotCanonicalException ex) {
					// No default for it: its value always counts.
				}
			}
			return values;
		}

	};

	private static Object freshInstance(Class<?> type) {
		try {
			return type.getConstructor().newInstance();
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError noPublicConstructor) {
			try {
				Object builder = type.getMethod("builder").invoke(null);
				Object built = builder.getClass().getMethod("build").invoke(builder);
				return type.isInstance(built) ? built : null;
			}
			catch (ReflectiveOperationException | RuntimeException | LinkageError noBuilder) {
				return null;
			}
		}
	}

	/** An option left unset: {@code null}, or an empty collection, map or array. */
	private static boolean isUnset(Object value) {
		return value == null || (value instanceof Collection<?> collection && collection.isEmpty())
				|| (value instanceof Map<?, ?> map && map.isEmpty())
				|| (value.getClass().isArray() && Array.getLength(value) == 0);
	}

	private void map(Map<?, ?> map, int depth) {
		List<KeyedValue> entries = new ArrayList<>(map.size());
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			entries.add(new KeyedValue(sub(entry.getKey(), depth), entry.getValue()));
		}
		entries.sort(Comparator.comparing(KeyedValue::key));
		token("map", Integer.toString(entries.size()));
		for (KeyedValue entry : entries) {
			this.out.append(entry.key());
			value(entry.value(), depth + 1);
		}
	}

	private record KeyedValue(String key, Object value) {
	}

	private void unordered(Collection<?> collection, int depth) {
		List<String> elements = new ArrayList<>(collection.size());
		for (Object element : collection) {
			elements.add(sub(element, depth));
		}
		elements.sort(Comparator.naturalOrder());
		token("set", Integer.toString(elements.size()));
		elements.forEach(this.out::append);
	}

	/** The canonical form of one value on its own, to sort by. */
	private static String sub(Object value, int depth) {
		CanonicalOptions canonical = new CanonicalOptions();
		canonical.value(value, depth + 1);
		return canonical.out.toString();
	}

	/** Length-prefixed, so that no two different token lists read the same. */
	private void token(String... parts) {
		for (String part : parts) {
			String text = String.valueOf(part);
			this.out.append(text.length()).append(':').append(text);
		}
	}

	private static List<Property> properties(Class<?> type) {
		List<Property> properties = new ArrayList<>();
		if (type.isRecord()) {
			for (RecordComponent component : type.getRecordComponents()) {
				properties.add(new Property(component.getName(), component.getAccessor()));
			}
		}
		else {
			for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
				Method getter = descriptor.getReadMethod();
				if (getter != null && !SKIPPED.contains(descriptor.getName())) {
					properties.add(new Property(descriptor.getName(), getter));
				}
			}
		}
		properties.removeIf((property) -> SKIPPED.contains(property.name()));
		properties.sort(Comparator.comparing(Property::name));
		return properties;
	}

	private record Property(String name, Method getter) {

		Object read(Object bean) {
			try {
				if (!this.getter.canAccess(bean)) {
					this.getter.setAccessible(true);
				}
				return this.getter.invoke(bean);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				throw new NotCanonicalException("option '" + this.name + "' could not be read: " + ex);
			}
		}

	}

	/**
	 * The OpenAI SDK's own option types (a tool choice), written by the SDK's own JSON
	 * mapper. Looked up by name: the engine does not depend on any vendor's library, and
	 * such a value only exists when the OpenAI SDK is on the classpath.
	 */
	private static final class OpenAiSdkJson {

		static String write(Object value) {
			try {
				Object mapper = Class.forName("com.openai.core.ObjectMappers", true, value.getClass().getClassLoader())
					.getMethod("jsonMapper")
					.invoke(null);
				return (String) mapper.getClass().getMethod("writeValueAsString", Object.class).invoke(mapper, value);
			}
			catch (Exception | LinkageError ex) {
				throw new NotCanonicalException("an OpenAI SDK value of type " + value.getClass().getName());
			}
		}

	}

	/**
	 * A request option has no canonical form, so the request gets no last-good key. The
	 * message names types and properties only, never values.
	 */
	public static final class NotCanonicalException extends RuntimeException {

		NotCanonicalException(String message) {
			super(message, null, false, false);
		}

	}

}

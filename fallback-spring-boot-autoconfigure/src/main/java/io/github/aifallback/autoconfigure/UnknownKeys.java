package io.github.aifallback.autoconfigure;

import java.beans.PropertyDescriptor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;


import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Fails start-up on a key under {@code ai.fallback} that binds to nothing: a typo in YAML
 * ({@code timout}), an environment variable Spring Boot maps to no property
 * ({@code AI_FALLBACK_ENTRIES_PRIMARY_TIMOUT}, {@code AI_FALLBACK_RETRY_MAX_ATTEMPTS}), a
 * setting an override cannot take. Spring Boot ignores such keys without a word. The error
 * names the key, where it came from (file and line, or the variable) and the nearest valid
 * key, spelled as the source spells keys.
 * <p>
 * The valid keys are read from the properties classes themselves (their JavaBean
 * properties, map keys and list indices), so a new property is known as soon as it exists.
 */
final class UnknownKeys {

	static final String PREFIX = "ai.fallback";

	/** Whether the check runs: the property that turns it off. */
	static final String FAIL_ON_UNKNOWN_KEYS = PREFIX + ".fail-on-unknown-keys";

	private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(PREFIX);

	private static final Node TREE = tree();

	private UnknownKeys() {
	}

	/**
	 * Check every property source of the environment.
	 * @param environment the application's environment, or {@code null} (no check)
	 * @throws InvalidFallbackConfigurationException on the first key that binds to nothing
	 */
	static void check(Environment environment) {
		if (!(environment instanceof ConfigurableEnvironment configurable)
				|| !environment.getProperty(FAIL_ON_UNKNOWN_KEYS, Boolean.class, true)) {
			return;
		}
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(configurable)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			List<ConfigurationPropertyName> names = iterable.stream().filter(ROOT::isAncestorOf).toList();
			for (ConfigurationPropertyName name : names) {
				int bad = TREE.mismatch(name, 2);
				if (bad >= 0) {
					throw unknown(name, bad, source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource);
				}
			}
		}
	}

	private static InvalidFallbackConfigurationException unknown(ConfigurationPropertyName name, int bad,
			boolean environment) {
		String suggestion = suggest(name, bad, environment);
		String key = name.toString();
		StringBuilder problem = new StringBuilder("no property ").append(key).append(" exists");
		if (environment) {
			problem.append(" (Spring Boot reads the environment variable as that key)");
		}
		String fix;
		if (suggestion != null) {
			problem.append("; did you mean ").append(suggestion).append('?');
			fix = "Rename it to " + suggestion + (environment ? (" (an environment variable spells a key upper-case, "
					+ "with '_' between its parts and no dashes)") : "") + ", or remove it.";
		}
		else {
			fix = "Remove it, or see docs/configuration.md for the keys under " + PREFIX + ".";
		}
		return new InvalidFallbackConfigurationException(key, problem.toString(),
				fix + " Set " + FAIL_ON_UNKNOWN_KEYS + "=false to ignore unknown keys.");
	}

	/**
	 * The nearest valid key: an entry or provider name that an environment variable split
	 * into parts joined again, else the closest name at the element that matched nothing.
	 */
	private static String suggest(ConfigurationPropertyName name, int bad, boolean environment) {
		List<String> elements = new ArrayList<>();
		for (int i = 0; i < name.getNumberOfElements(); i++) {
			elements.add(name.isNumericIndex(i) ? "[" + name.getElement(i, Form.ORIGINAL) + "]"
					: name.getElement(i, Form.ORIGINAL));
		}
		List<String> fixed = environment ? joined(elements, bad) : null;
		if (fixed == null) {
			Node parent = TREE.at(elements.subList(2, bad));
			String nearest = (parent != null) ? parent.nearest(elements.get(bad)) : null;
			if (nearest == null) {
				return null;
			}
			fixed = new ArrayList<>(elements);
			fixed.set(bad, nearest);
			if (!TREE.settable(fixed)) {
				fixed = new ArrayList<>(fixed.subList(0, bad + 1));
			}
		}
		return environment ? toEnvironmentVariable(fixed) : String.join(".", canonical(fixed)).replace(".[", "[");
	}

	/**
	 * An environment variable splits at every '_': {@code entries.primary.eu.enabled} is an
	 * entry {@code primary-eu} (joined, {@code primaryeu}, it matches loosely), and
	 * {@code retry.max.attempts} is {@code retry.maxattempts}. The first joining of the
	 * elements around the bad one that makes a valid key, or null.
	 */
	private static List<String> joined(List<String> elements, int bad) {
		for (int start = bad; start >= 2; start--) {
			for (int end = Math.max(start + 1, bad); end < elements.size(); end++) {
				List<String> joined = new ArrayList<>(elements.subList(0, start));
				joined.add(String.join("", elements.subList(start, end + 1)).replaceAll("[^A-Za-z0-9]", ""));
				joined.addAll(elements.subList(end + 1, elements.size()));
				if (TREE.settable(joined)) {
					return joined;
				}
			}
		}
		return null;
	}

	/** The key with each property in its dashed form (map keys and indices as they are). */
	private static List<String> canonical(List<String> elements) {
		List<String> canonical = new ArrayList<>(elements.subList(0, 2));
		Node node = TREE;
		for (String element : elements.subList(2, elements.size())) {
			canonical.add((node != null && node.kind == Kind.BEAN)
					? node.dashed.getOrDefault(uniform(element), element) : element);
			node = (node != null) ? node.next(element) : null;
		}
		return canonical;
	}

	private static String toEnvironmentVariable(List<String> elements) {
		StringBuilder variable = new StringBuilder();
		for (String element : elements) {
			if (!variable.isEmpty()) {
				variable.append('_');
			}
			variable.append(element.replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT));
		}
		return variable.toString();
	}

	private static Node tree() {
		Node root = bean(FallbackProperties.class, new HashMap<>());
		root.children.put("health", bean(FallbackHealthProperties.class, new HashMap<>()));
		root.dashed.put("health", "health");
		return root;
	}

	private static Node bean(Class<?> type, Map<Class<?>, Node> seen) {
		Node known = seen.get(type);
		if (known != null) {
			return known;
		}
		Node node = new Node(Kind.BEAN, null);
		seen.put(type, node);
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getReadMethod() == null || "class".equals(descriptor.getName())) {
				continue;
			}
			Type valueType = descriptor.getReadMethod().getGenericReturnType();
			Node child = node(valueType, seen);
			if (descriptor.getWriteMethod() == null && child.kind == Kind.LEAF) {
				continue;
			}
			String dashed = DataObjectPropertyName.toDashedForm(descriptor.getName());
			node.children.put(uniform(dashed), child);
			node.dashed.put(uniform(dashed), dashed);
		}
		return node;
	}

	private static Node node(Type type, Map<Class<?>, Node> seen) {
		if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
			Type[] arguments = parameterized.getActualTypeArguments();
			if (Map.class.isAssignableFrom(raw)) {
				Node value = node(arguments[1], seen);
				// Spring Boot binds headers.x.y to the key "x.y": a map of values takes any rest.
				return (value.kind == Kind.LEAF) ? new Node(Kind.ANY, null) : new Node(Kind.MAP, value);
			}
			if (Collection.class.isAssignableFrom(raw)) {
				return new Node(Kind.LIST, node(arguments[0], seen));
			}
			return node(raw, seen);
		}
		if (type instanceof Class<?> clazz) {
			if (clazz.isArray()) {
				return new Node(Kind.LIST, node(clazz.getComponentType(), seen));
			}
			if (Map.class.isAssignableFrom(clazz) || Collection.class.isAssignableFrom(clazz)) {
				return new Node(Kind.ANY, null);
			}
			if (!clazz.isEnum() && clazz.getName().startsWith("io.github.aifallback.")) {
				return bean(clazz, seen);
			}
		}
		return new Node(Kind.LEAF, null);
	}

	private static String uniform(String element) {
		return element.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
	}

	private enum Kind {

		BEAN, MAP, LIST, LEAF, ANY

	}

	/** What may follow a key: a bean's properties, one map key or list index, or nothing. */
	private static final class Node {

		final Kind kind;

		final Node value;

		final Map<String, Node> children = new LinkedHashMap<>();

		final Map<String, String> dashed = new LinkedHashMap<>();

		Node(Kind kind, Node value) {
			this.kind = kind;
			this.value = value;
		}

		/** The index of the first element of the name that binds to nothing, or -1. */
		int mismatch(ConfigurationPropertyName name, int from) {
			List<String> elements = new ArrayList<>();
			for (int i = 0; i < name.getNumberOfElements(); i++) {
				elements.add(name.isNumericIndex(i) ? "[" + name.getElement(i, Form.ORIGINAL) + "]"
						: name.getElement(i, Form.ORIGINAL));
			}
			return mismatch(elements, from);
		}

		int mismatch(List<String> elements, int from) {
			Node node = this;
			for (int i = from; i < elements.size(); i++) {
				node = node.next(elements.get(i));
				if (node == null) {
					return i;
				}
				if (node.kind == Kind.ANY) {
					return -1;
				}
			}
			return -1;
		}

		/** Whether the key (from {@code ai.fallback} on) leads to a value, not to a group. */
		boolean settable(List<String> elements) {
			if (mismatch(elements, 2) >= 0) {
				return false;
			}
			Node node = at(elements.subList(2, elements.size()));
			return node == null || node.kind == Kind.LEAF || node.kind == Kind.LIST || node.kind == Kind.ANY;
		}

		/** The node a path of elements leads to, or null. */
		Node at(List<String> elements) {
			Node node = this;
			for (String element : elements) {
				node = (node != null) ? node.next(element) : null;
			}
			return node;
		}

		private Node next(String element) {
			return switch (this.kind) {
				case BEAN -> this.children.get(uniform(element));
				case MAP -> this.value;
				// An index, or an environment variable's number (CHAIN_0_MODEL).
				case LIST -> element.startsWith("[") || element.chars().allMatch(Character::isDigit) ? this.value : null;
				case ANY -> this;
				case LEAF -> null;
			};
		}

		/** The dashed name of this bean's property closest to the element, or null. */
		String nearest(String element) {
			if (this.kind != Kind.BEAN) {
				return null;
			}
			String wanted = uniform(element);
			String best = null;
			int bestDistance = Integer.MAX_VALUE;
			for (Map.Entry<String, String> candidate : this.dashed.entrySet()) {
				int distance = distance(wanted, candidate.getKey());
				if (distance < bestDistance) {
					bestDistance = distance;
					best = candidate.getValue();
				}
			}
			// Too far is no suggestion: it would mislead.
			return (best != null && bestDistance <= Math.max(2, wanted.length() / 2)) ? best : null;
		}

		private static int distance(String a, String b) {
			int[] previous = new int[b.length() + 1];
			int[] current = new int[b.length() + 1];
			for (int j = 0; j <= b.length(); j++) {
				previous[j] = j;
			}
			for (int i = 1; i <= a.length(); i++) {
				current[0] = i;
				for (int j = 1; j <= b.length(); j++) {
					int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
					current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
				}
				int[] swap = previous;
				previous = current;
				current = swap;
			}
			return previous[b.length()];
		}

	}

}

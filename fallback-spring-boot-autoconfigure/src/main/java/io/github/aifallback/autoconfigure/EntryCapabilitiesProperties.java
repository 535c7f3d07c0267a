package io.github.aifallback.autoconfigure;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.aifallback.chat.Capability;

/**
 * Turns an entry's bound {@code capabilities} and {@code context-window} into the engine's
 * values, failing start-up with the property's name on a value that cannot work: bound as
 * text, so that a typo gets our message and the list of valid names rather than a
 * conversion error.
 */
final class EntryCapabilitiesProperties {

	private EntryCapabilitiesProperties() {
	}

	/** The capabilities, or {@code null} (unknown) when the property is unset. */
	static Set<Capability> capabilities(String property, List<String> names) {
		if (names == null) {
			return null;
		}
		Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
		for (String name : names) {
			capabilities.add(capability(property, name));
		}
		return capabilities;
	}

	private static Capability capability(String property, String name) {
		String normalized = (name != null) ? name.trim().toUpperCase(Locale.ROOT).replace('-', '_') : "";
		for (Capability capability : Capability.values()) {
			if (capability.name().equals(normalized)) {
				return capability;
			}
		}
		String valid = Arrays.stream(Capability.values())
			.map((capability) -> capability.name().toLowerCase(Locale.ROOT).replace('_', '-'))
			.collect(Collectors.joining(", "));
		throw new InvalidFallbackConfigurationException(property, "'" + name + "' is not a capability",
				"List only " + valid + " in " + property + " (an empty list means text only; leave it unset when "
						+ "unknown).");
	}

	/** The window, or {@code null} (unknown) when the property is unset. */
	static Integer contextWindow(String property, Integer window) {
		if (window != null && window < 1) {
			throw new InvalidFallbackConfigurationException(property, "the context window must be at least 1 token",
					"Set " + property + " to the model's context window in tokens, e.g. 128000, or remove it.");
		}
		return window;
	}

}

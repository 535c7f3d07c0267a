package io.github.aifallback.chat.observation;

import java.util.Locale;

/**
 * Enum constants' names in lower case, computed once: key values are made for every
 * observation, and {@code name().toLowerCase()} would allocate a string each time.
 */
final class LowerCaseNames {

	private LowerCaseNames() {
	}

	static String[] of(Enum<?>[] values) {
		String[] names = new String[values.length];
		for (Enum<?> value : values) {
			names[value.ordinal()] = value.name().toLowerCase(Locale.ROOT);
		}
		return names;
	}

}

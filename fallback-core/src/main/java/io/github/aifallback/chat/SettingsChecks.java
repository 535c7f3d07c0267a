package io.github.aifallback.chat;

import java.time.Duration;

/**
 * The checks the settings records share, each message naming the setting.
 */
final class SettingsChecks {

	private SettingsChecks() {
	}

	static Duration requireNotNegative(Duration value, String name) {
		if (value == null) {
			throw new IllegalArgumentException(name + " must be set");
		}
		if (value.isNegative()) {
			throw new IllegalArgumentException(name + " must not be negative, not " + value);
		}
		return value;
	}

	static Duration requirePositive(Duration value, String name) {
		requireNotNegative(value, name);
		if (value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, not " + value);
		}
		return value;
	}

}

package io.github.aifallback.autoconfigure;

import java.net.URI;
import java.time.Duration;

/**
 * The checks every setting goes through, once, while the settings are resolved: each
 * throws an {@link InvalidFallbackConfigurationException} naming the property and its fix.
 */
final class Require {

	private Require() {
	}

	static void positive(String property, Duration duration) {
		if (duration == null || duration.isZero() || duration.isNegative()) {
			throw new InvalidFallbackConfigurationException(property, "the duration must be positive",
					"Set " + property + " to a positive duration, e.g. 10s or 500ms.");
		}
	}

	/** @param zeroMeans what 0 means, for the fix */
	static void zeroOrMore(String property, long value, String zeroMeans) {
		if (value < 0) {
			throw new InvalidFallbackConfigurationException(property, "the value " + value + " is negative",
					"Set " + property + " to 0 (" + zeroMeans + ") or more.");
		}
	}

	static void percent(String property, float value) {
		if (!(value > 0 && value <= 100)) {
			throw new InvalidFallbackConfigurationException(property, "the value " + value + " is not a percentage",
					"Set " + property + " to a percentage above 0 and at most 100, e.g. 50.");
		}
	}

	static void atLeastOne(String property, int value) {
		if (value < 1) {
			throw new InvalidFallbackConfigurationException(property, "the value " + value + " is below 1",
					"Set " + property + " to 1 or more.");
		}
	}

	/** A timeout, when set, must be positive and no longer than the deadline. */
	static void withinDeadline(String property, Duration timeout, Duration deadline) {
		if (timeout == null) {
			return;
		}
		positive(property, timeout);
		if (timeout.compareTo(deadline) > 0) {
			throw new InvalidFallbackConfigurationException(property,
					"the timeout (" + timeout + ") is longer than the deadline (" + deadline + ")",
					"Make " + property + " shorter than ai.fallback.deadline, or raise the deadline.");
		}
	}

	/** A base URL, when set and not blank (blank is reported as "set but empty"), is http(s). */
	static void httpUrl(String property, String url) {
		if (url == null || url.isBlank()) {
			return;
		}
		try {
			URI uri = URI.create(url);
			if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
				return;
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw new InvalidFallbackConfigurationException(property, "the base URL is not an http(s) URL",
				"Set " + property + " to a URL such as https://api.openai.com/v1, version path included.");
	}

}

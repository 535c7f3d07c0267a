package io.github.aifallback.chat.deployment;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Lenient readers of the providers' rate-limit header values: anything malformed reads as
 * absent ({@code -1} or {@code null}), never as an exception, since a header is advice and
 * a provider's odd value must not fail a call that succeeded.
 */
final class RateLimitHeaders {

	static final String OPENAI_REMAINING_REQUESTS = "x-ratelimit-remaining-requests";

	static final String OPENAI_RESET_REQUESTS = "x-ratelimit-reset-requests";

	static final String OPENAI_REMAINING_TOKENS = "x-ratelimit-remaining-tokens";

	static final String OPENAI_RESET_TOKENS = "x-ratelimit-reset-tokens";

	static final String ANTHROPIC_REMAINING_REQUESTS = "anthropic-ratelimit-requests-remaining";

	static final String ANTHROPIC_RESET_REQUESTS = "anthropic-ratelimit-requests-reset";

	static final String ANTHROPIC_REMAINING_TOKENS = "anthropic-ratelimit-tokens-remaining";

	static final String ANTHROPIC_RESET_TOKENS = "anthropic-ratelimit-tokens-reset";

	/** Longer values are no header a provider sends: not worth parsing. */
	private static final int MAX_LENGTH = 64;

	private RateLimitHeaders() {
	}

	/** A non-negative count, or {@code -1}. */
	static long count(String value) {
		if (value == null || value.isEmpty() || value.length() > 18) {
			return -1;
		}
		long result = 0;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			result = result * 10 + (c - '0');
		}
		return result;
	}

	/**
	 * OpenAI's reset: a Go duration ({@code 1s}, {@code 6m0s}, {@code 20ms},
	 * {@code 1h2m3.5s}); a bare number is read as seconds. In milliseconds, or {@code -1}.
	 */
	static long durationMillis(String value) {
		if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
			return -1;
		}
		double total = 0;
		int i = 0;
		int n = value.length();
		while (i < n) {
			int start = i;
			while (i < n && (Character.isDigit(value.charAt(i)) || value.charAt(i) == '.')) {
				i++;
			}
			if (start == i) {
				return -1;
			}
			double number;
			try {
				number = Double.parseDouble(value.substring(start, i));
			}
			catch (NumberFormatException ex) {
				return -1;
			}
			int unitStart = i;
			while (i < n && !Character.isDigit(value.charAt(i)) && value.charAt(i) != '.') {
				i++;
			}
			double unit = unitMillis(value.substring(unitStart, i), start == 0 && i == n);
			if (unit < 0) {
				return -1;
			}
			total += number * unit;
		}
		return (total > Long.MAX_VALUE / 2) ? -1 : (long) Math.ceil(total);
	}

	private static double unitMillis(String unit, boolean alone) {
		return switch (unit) {
			case "h" -> 3_600_000;
			case "m" -> 60_000;
			case "s" -> 1_000;
			case "ms" -> 1;
			case "us", "µs" -> 0.001;
			case "ns" -> 0.000_001;
			case "" -> alone ? 1_000 : -1;
			default -> -1;
		};
	}

	/** Anthropic's reset: an RFC 3339 instant, in epoch milliseconds, or {@code -1}. */
	static long instantMillis(String value) {
		if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
			return -1;
		}
		try {
			return OffsetDateTime.parse(value.trim()).toInstant().toEpochMilli();
		}
		catch (DateTimeParseException | ArithmeticException ex) {
			return -1;
		}
	}

	/** For tests and messages. */
	static Duration duration(String value) {
		long millis = durationMillis(value);
		return (millis < 0) ? null : Duration.ofMillis(millis);
	}

}

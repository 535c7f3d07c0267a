package io.github.aifallback.chat.model;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.aifallback.chat.Failure;
import io.github.aifallback.chat.FailureKind;

/**
 * An HTTP status, an error body and a {@code Retry-After} value turned into a
 * {@link Failure}, whichever Spring client reported them.
 */
final class StatusFailures {

	private static final List<String> QUOTA_MARKERS = List.of("insufficient_quota", "quota_exceeded",
			"billing_hard_limit_reached", "insufficient_balance", "exceeded your current quota",
			"credit balance is too low");

	private static final List<String> CONTEXT_MARKERS = List.of("context_length_exceeded", "maximum context length",
			"context window", "context length", "too many tokens", "prompt is too long", "string_above_max_length");

	/** Spring AI's default error handler writes {@code "<status> - <body>"}. */
	private static final Pattern LEADING_STATUS = Pattern.compile("^\\s*(\\d{3})\\s+-\\s");

	// Markers are looked for in this much of a body at most: an error body can be huge.
	private static final int MAX_SCANNED = 8192;

	private StatusFailures() {
	}

	static Failure of(int status, String body, String retryAfter, Clock clock) {
		return new Failure(kindOf(status, body), status, parseRetryAfter(retryAfter, clock), null, null, body);
	}

	static FailureKind kindOf(int status, String body) {
		if (status == 429) {
			return mentions(body, QUOTA_MARKERS) ? FailureKind.QUOTA_EXHAUSTED : FailureKind.RATE_LIMITED;
		}
		if (status == 401 || status == 403) {
			return FailureKind.AUTH;
		}
		if (status == 404) {
			return FailureKind.MODEL_NOT_FOUND;
		}
		if (status == 413 || (status == 400 && mentionsContext(body))) {
			return FailureKind.CONTEXT_TOO_LONG;
		}
		if (status == 408) {
			return FailureKind.TIMEOUT;
		}
		if (status >= 500) {
			return FailureKind.SERVER_ERROR;
		}
		return FailureKind.BAD_REQUEST;
	}

	static boolean mentionsContext(String text) {
		return mentions(text, CONTEXT_MARKERS);
	}

	/** The status at the start of a Spring AI exception's message, or {@code 0}. */
	static int leadingStatus(String message) {
		if (message == null) {
			return 0;
		}
		Matcher matcher = LEADING_STATUS.matcher(message);
		return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
	}

	private static boolean mentions(String text, List<String> markers) {
		if (text == null) {
			return false;
		}
		String scanned = ((text.length() > MAX_SCANNED) ? text.substring(0, MAX_SCANNED) : text)
			.toLowerCase(Locale.ROOT);
		return markers.stream().anyMatch(scanned::contains);
	}

	/** Seconds or an HTTP date; anything else (or a past date) says nothing usable. */
	static Duration parseRetryAfter(String value, Clock clock) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String trimmed = value.trim();
		try {
			double seconds = Double.parseDouble(trimmed);
			return (Double.isFinite(seconds) && seconds >= 0) ? Duration.ofMillis((long) (seconds * 1000)) : null;
		}
		catch (NumberFormatException notSeconds) {
			// An HTTP date, perhaps.
		}
		try {
			Duration until = Duration.between(clock.instant(),
					ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
			return until.isNegative() ? Duration.ZERO : until;
		}
		catch (DateTimeParseException | ArithmeticException notADate) {
			return null;
		}
	}

}

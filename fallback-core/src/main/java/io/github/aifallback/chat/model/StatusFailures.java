package io.github.aifallback.chat.model;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.internal.support.HttpFailures;

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
		FailureKind kind = HttpFailures.kindOf(status);
		if (kind == FailureKind.RATE_LIMITED && mentions(body, QUOTA_MARKERS)) {
			return FailureKind.QUOTA_EXHAUSTED;
		}
		if (status == 400 && mentionsContext(body)) {
			return FailureKind.CONTEXT_TOO_LONG;
		}
		return kind;
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

	/**
	 * Seconds or an HTTP date (a past one is zero); anything else, negative seconds
	 * included, says nothing usable (the SDK adapters read negative seconds as zero).
	 */
	static Duration parseRetryAfter(String value, Clock clock) {
		Double seconds = HttpFailures.finiteNumber(value);
		if (seconds != null) {
			return (seconds >= 0) ? Duration.ofMillis((long) (seconds * 1000)) : null;
		}
		return HttpFailures.untilDate(value, clock);
	}

}

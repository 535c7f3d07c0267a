package io.github.aifallback.chat.internal.support;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;

/**
 * What every HTTP adapter's classifier reads the same way: the kind a bare status says,
 * and the {@code Retry-After} family of headers. Each adapter refines the kind with what
 * its vendor's body says. Internal to the adapters: public only so that each adapter
 * package can use it; the engine never does.
 *
 * @since 0.1.0
 */
public final class HttpFailures {

	private HttpFailures() {
	}

	/**
	 * Classify with a classifier that may throw: a failure that cannot be read (an
	 * exception whose accessors throw, a bug in the adapter) counts as
	 * {@link FailureKind#BAD_REQUEST}, so the chain falls back to the next entry without
	 * retrying this one.
	 * @param thrown what the attempt threw
	 * @param classifier the adapter's classification, which may throw
	 * @return the failure, never {@code null}
	 */
	public static Failure guarded(Throwable thrown, Function<Throwable, Failure> classifier) {
		try {
			ResponseTooLargeException tooLarge = tooLarge(thrown);
			if (tooLarge != null) {
				return new Failure(FailureKind.INVALID_RESPONSE, 0, null, null, null, tooLarge.getMessage());
			}
			return classifier.apply(thrown);
		}
		catch (RuntimeException | StackOverflowError ex) {
			return Failure.of(FailureKind.BAD_REQUEST);
		}
	}

	/** A body cut at its bound, in the SDK's wrapping of it (a few causes deep), or null. */
	private static ResponseTooLargeException tooLarge(Throwable thrown) {
		Throwable cause = thrown;
		for (int depth = 0; cause != null && depth < 8; depth++) {
			if (cause instanceof ResponseTooLargeException tooLarge) {
				return tooLarge;
			}
			cause = cause.getCause();
		}
		return null;
	}

	/**
	 * The kind a status says by itself: 429 rate limited, 401 and 403 auth, 404 model not
	 * found, 413 context too long, 408 timeout, 5xx server error, anything else a bad
	 * request.
	 * @param status the HTTP status
	 * @return the kind
	 */
	public static FailureKind kindOf(int status) {
		if (status == 429) {
			return FailureKind.RATE_LIMITED;
		}
		if (status == 401 || status == 403) {
			return FailureKind.AUTH;
		}
		if (status == 404) {
			return FailureKind.MODEL_NOT_FOUND;
		}
		if (status == 413) {
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

	/**
	 * A {@code retry-after-ms} value.
	 * @param value the header's value, or {@code null}
	 * @return the delay (a negative one is zero), or {@code null} when the value is no
	 * finite number
	 */
	public static Duration retryAfterMillis(String value) {
		Double millis = finiteNumber(value);
		return (millis != null) ? nonNegative(Duration.ofNanos((long) (millis * 1_000_000))) : null;
	}

	/**
	 * A {@code Retry-After} value: seconds, or an HTTP date read against the clock.
	 * @param value the header's value, or {@code null}
	 * @param clock the clock
	 * @return the delay (a negative one, or a past date, is zero), or {@code null} when the
	 * value says nothing usable
	 */
	public static Duration retryAfter(String value, Clock clock) {
		Double seconds = finiteNumber(value);
		if (seconds != null) {
			return nonNegative(Duration.ofMillis((long) (seconds * 1000)));
		}
		return untilDate(value, clock);
	}

	/**
	 * An HTTP date (RFC 1123) read against the clock.
	 * @param value the value, or {@code null}
	 * @param clock the clock
	 * @return the time until then (zero when past), or {@code null} when it is no date
	 */
	public static Duration untilDate(String value, Clock clock) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
			return nonNegative(Duration.between(clock.instant(), at.toInstant()));
		}
		catch (DateTimeParseException | ArithmeticException notADate) {
			return null;
		}
	}

	/**
	 * A finite number, or {@code null}: {@code NaN} and {@code Infinity} say nothing usable.
	 * @param value the value, or {@code null}
	 * @return the number, or {@code null}
	 */
	public static Double finiteNumber(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			double number = Double.parseDouble(value.trim());
			return Double.isFinite(number) ? number : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static Duration nonNegative(Duration duration) {
		return duration.isNegative() ? Duration.ZERO : duration;
	}

}

package io.github.aifallback.chat.openai;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.SseException;
import com.openai.errors.UnauthorizedException;
import io.github.aifallback.chat.BasicFailureClassifier;
import io.github.aifallback.chat.Failure;
import io.github.aifallback.chat.FailureClassifier;
import io.github.aifallback.chat.FailureKind;

/**
 * Classifies the exceptions of the openai-java SDK (which spring-ai-openai uses) by HTTP
 * status, headers, the error body read leniently, and cause. It never throws.
 *
 * @since 0.1.0
 */
public final class OpenAiFailureClassifier implements FailureClassifier {

	private static final List<String> QUOTA_MARKERS = List.of("insufficient_quota", "quota_exceeded",
			"billing_hard_limit_reached", "insufficient_balance", "exceeded your current quota");

	private static final List<String> CONTEXT_MARKERS = List.of("context_length_exceeded", "maximum context length",
			"context window", "too many tokens", "string_above_max_length");

	private static final List<String> MILLIS_HEADERS = List.of("retry-after-ms", "x-ms-retry-after-ms");

	// Causes are followed this deep at most: a cycle of causes must not loop forever.
	private final Clock clock;

	/**
	 * Create a classifier that reads HTTP-date {@code Retry-After} values against the system
	 * clock.
	 */
	public OpenAiFailureClassifier() {
		this(Clock.systemUTC());
	}

	/**
	 * Create a classifier reading HTTP-date {@code Retry-After} values against the given
	 * clock.
	 * @param clock the clock
	 */
	public OpenAiFailureClassifier(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * Classify a failed attempt. Never throws: a failure that cannot be read (an exception
	 * whose accessors throw, a bug here) counts as {@link FailureKind#BAD_REQUEST}, so the
	 * chain falls back to the next entry without retrying this one.
	 */
	@Override
	public Failure classify(Throwable thrown) {
		try {
			return classifyOrThrow(thrown);
		}
		catch (RuntimeException | StackOverflowError ex) {
			return Failure.of(FailureKind.BAD_REQUEST);
		}
	}

	private Failure classifyOrThrow(Throwable thrown) {
		Throwable failure = BasicFailureClassifier.unwrapped(thrown);
		if (failure instanceof OpenAIServiceException service) {
			return classify(service);
		}
		if (failure instanceof OpenAIInvalidDataException
				|| BasicFailureClassifier.hasCause(failure, OpenAIInvalidDataException.class)) {
			return Failure.of(FailureKind.INVALID_RESPONSE);
		}
		if (failure instanceof OpenAIIoException) {
			return Failure.of(BasicFailureClassifier.isTimeout(failure) ? FailureKind.TIMEOUT : FailureKind.CONNECTION);
		}
		return BasicFailureClassifier.INSTANCE.classify(failure);
	}

	/**
	 * From the status, the headers and the body read leniently: the SDK's typed accessors
	 * ({@code type()}, {@code code()}) throw on bodies not shaped like OpenAI's (Azure's has
	 * no {@code type}, proxies send {@code "type": null} or numeric codes).
	 */
	private Failure classify(OpenAIServiceException service) {
		int status = service.statusCode();
		LenientErrorBody body = LenientErrorBody.of(service);
		Duration retryAfter;
		try {
			retryAfter = retryAfter(service);
		}
		catch (RuntimeException ex) {
			retryAfter = null;
		}
		return new Failure(kindOf(service, status, body), status, retryAfter, body.type(), body.code(),
				body.message());
	}

	private static FailureKind kindOf(OpenAIServiceException service, int status, LenientErrorBody body) {
		if (service instanceof SseException) {
			// An error event inside a 200 stream: the provider failed while answering.
			return body.mentions(List.of("rate_limit", "rate limit")) ? FailureKind.RATE_LIMITED
					: FailureKind.SERVER_ERROR;
		}
		if (service instanceof RateLimitException || status == 429) {
			return body.mentions(QUOTA_MARKERS) ? FailureKind.QUOTA_EXHAUSTED : FailureKind.RATE_LIMITED;
		}
		if (service instanceof UnauthorizedException || service instanceof PermissionDeniedException || status == 401
				|| status == 403) {
			return FailureKind.AUTH;
		}
		if (service instanceof NotFoundException || status == 404) {
			return FailureKind.MODEL_NOT_FOUND;
		}
		if (status == 413
				|| ((service instanceof BadRequestException || status == 400) && body.mentions(CONTEXT_MARKERS))) {
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

	/** Milliseconds first (OpenAI's {@code retry-after-ms}, Azure's {@code x-ms-retry-after-ms}). */
	private Duration retryAfter(OpenAIServiceException service) {
		for (String header : MILLIS_HEADERS) {
			Duration millis = parseMillis(first(service, header));
			if (millis != null) {
				return millis;
			}
		}
		return parseRetryAfter(first(service, "retry-after"));
	}

	private static String first(OpenAIServiceException service, String header) {
		List<String> values = service.headers().values(header);
		return (values == null || values.isEmpty() || values.get(0) == null) ? null : values.get(0).trim();
	}

	private static Duration parseMillis(String value) {
		Double millis = number(value);
		return (millis != null) ? nonNegative(Duration.ofNanos((long) (millis * 1_000_000))) : null;
	}

	/** A finite number, or {@code null}: {@code NaN} and {@code Infinity} say nothing usable. */
	private static Double number(String value) {
		if (value == null || value.isEmpty()) {
			return null;
		}
		try {
			double number = Double.parseDouble(value);
			return Double.isFinite(number) ? number : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	Duration parseRetryAfter(String value) {
		if (value == null || value.isEmpty()) {
			return null;
		}
		Double seconds = number(value);
		if (seconds != null) {
			return nonNegative(Duration.ofMillis((long) (seconds * 1000)));
		}
		try {
			ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
			return nonNegative(Duration.between(this.clock.instant(), at.toInstant()));
		}
		catch (DateTimeParseException | ArithmeticException notADate) {
			return null;
		}
	}

	private static Duration nonNegative(Duration duration) {
		return duration.isNegative() ? Duration.ZERO : duration;
	}

}

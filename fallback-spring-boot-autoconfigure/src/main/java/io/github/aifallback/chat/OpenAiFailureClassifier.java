package io.github.aifallback.chat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
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

/**
 * Classifies the exceptions of the openai-java SDK (which spring-ai-openai uses) by HTTP
 * status, error code and cause.
 *
 * @since 0.1.0
 */
public final class OpenAiFailureClassifier implements FailureClassifier {

	private static final List<String> QUOTA_MARKERS = List.of("insufficient_quota", "quota_exceeded",
			"billing_hard_limit_reached", "insufficient_balance", "exceeded your current quota");

	private static final List<String> CONTEXT_MARKERS = List.of("context_length_exceeded", "maximum context length",
			"context window", "too many tokens", "string_above_max_length");

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

	@Override
	public Failure classify(Throwable thrown) {
		Throwable failure = unwrapped(thrown);
		if (failure instanceof InvalidResponseException) {
			return Failure.of(FailureKind.INVALID_RESPONSE);
		}
		if (failure instanceof AttemptTimeoutException || failure instanceof java.util.concurrent.TimeoutException) {
			return Failure.of(FailureKind.TIMEOUT);
		}
		if (failure instanceof OpenAIServiceException service) {
			int status = service.statusCode();
			return new Failure(kindOf(service, status), status, retryAfter(service));
		}
		if (failure instanceof OpenAIInvalidDataException) {
			return Failure.of(FailureKind.INVALID_RESPONSE);
		}
		if (failure instanceof OpenAIIoException || hasCause(failure, IOException.class)) {
			return Failure.of(isTimeout(failure) ? FailureKind.TIMEOUT : FailureKind.CONNECTION);
		}
		if (hasCause(failure, OpenAIInvalidDataException.class)) {
			return Failure.of(FailureKind.INVALID_RESPONSE);
		}
		return Failure.of(FailureKind.BAD_REQUEST);
	}

	/** Async calls (streaming) report the SDK's exception inside a CompletionException. */
	private static Throwable unwrapped(Throwable thrown) {
		Throwable failure = thrown;
		while ((failure instanceof java.util.concurrent.CompletionException
				|| failure instanceof java.util.concurrent.ExecutionException) && failure.getCause() != null) {
			failure = failure.getCause();
		}
		return failure;
	}

	private FailureKind kindOf(OpenAIServiceException service, int status) {
		if (service instanceof SseException) {
			// An error event inside a 200 stream: the provider failed while answering.
			return mentions(service, List.of("rate_limit", "rate limit")) ? FailureKind.RATE_LIMITED
					: FailureKind.SERVER_ERROR;
		}
		if (service instanceof RateLimitException || status == 429) {
			return mentions(service, QUOTA_MARKERS) ? FailureKind.QUOTA_EXHAUSTED : FailureKind.RATE_LIMITED;
		}
		if (service instanceof UnauthorizedException || service instanceof PermissionDeniedException || status == 401
				|| status == 403) {
			return FailureKind.AUTH;
		}
		if (service instanceof NotFoundException || status == 404) {
			return FailureKind.MODEL_NOT_FOUND;
		}
		if (status == 413 || ((service instanceof BadRequestException || status == 400)
				&& mentions(service, CONTEXT_MARKERS))) {
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

	private static boolean mentions(OpenAIServiceException service, List<String> markers) {
		StringBuilder text = new StringBuilder();
		service.code().ifPresent(text::append);
		service.type().ifPresent((type) -> text.append(' ').append(type));
		text.append(' ').append(service.body());
		String haystack = text.toString().toLowerCase(Locale.ROOT);
		return markers.stream().anyMatch(haystack::contains);
	}

	private Duration retryAfter(OpenAIServiceException service) {
		Duration millis = parseMillis(first(service, "retry-after-ms"));
		return (millis != null) ? millis : parseRetryAfter(first(service, "retry-after"));
	}

	private static String first(OpenAIServiceException service, String header) {
		List<String> values = service.headers().values(header);
		return values.isEmpty() ? null : values.get(0).trim();
	}

	private static Duration parseMillis(String value) {
		if (value == null) {
			return null;
		}
		try {
			return nonNegative(Duration.ofNanos((long) (Double.parseDouble(value) * 1_000_000)));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	Duration parseRetryAfter(String value) {
		if (value == null || value.isEmpty()) {
			return null;
		}
		try {
			return nonNegative(Duration.ofMillis((long) (Double.parseDouble(value) * 1000)));
		}
		catch (NumberFormatException ex) {
			try {
				ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
				return nonNegative(Duration.between(this.clock.instant(), at.toInstant()));
			}
			catch (DateTimeParseException notADate) {
				return null;
			}
		}
	}

	private static Duration nonNegative(Duration duration) {
		return duration.isNegative() ? Duration.ZERO : duration;
	}

	private static boolean isTimeout(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof SocketTimeoutException || (t instanceof InterruptedIOException
					&& !(t instanceof ConnectException) && String.valueOf(t.getMessage()).contains("timeout"))) {
				return true;
			}
			if (t instanceof ConnectException || t instanceof UnknownHostException) {
				return false;
			}
		}
		return false;
	}

	private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (type.isInstance(t)) {
				return true;
			}
		}
		return false;
	}

}

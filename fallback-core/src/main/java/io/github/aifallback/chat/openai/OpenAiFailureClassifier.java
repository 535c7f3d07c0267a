package io.github.aifallback.chat.openai;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.openai.core.JsonValue;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.SseException;
import io.github.aifallback.chat.failure.BasicFailureClassifier;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureClassifier;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.internal.support.HttpFailures;
import io.github.aifallback.chat.internal.support.LenientErrorBody;

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

	/** OpenAI's, Azure's and proxies' names for the message; {@code error} may hold a bare string. */
	private static final LenientErrorBody.Dialect DIALECT = new LenientErrorBody.Dialect(
			List.of("message", "msg", "detail", "error_description", "error_message", "error"), List.of());

	private static final OpenAiTree TREE = new OpenAiTree();

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
		return HttpFailures.guarded(thrown, this::classifyOrThrow);
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
		LenientErrorBody body = LenientErrorBody.read(service::body, TREE, DIALECT);
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

	/**
	 * The SDK's typed exceptions ({@code RateLimitException}, {@code BadRequestException},
	 * ...) each stand for one status, so the status says it all.
	 */
	private static FailureKind kindOf(OpenAIServiceException service, int status, LenientErrorBody body) {
		if (service instanceof SseException) {
			// An error event inside a 200 stream: the provider failed while answering.
			return body.mentions(List.of("rate_limit", "rate limit")) ? FailureKind.RATE_LIMITED
					: FailureKind.SERVER_ERROR;
		}
		FailureKind kind = HttpFailures.kindOf(status);
		if (kind == FailureKind.RATE_LIMITED && body.mentions(QUOTA_MARKERS)) {
			return FailureKind.QUOTA_EXHAUSTED;
		}
		if (status == 400 && body.mentions(CONTEXT_MARKERS)) {
			return FailureKind.CONTEXT_TOO_LONG;
		}
		return kind;
	}

	/** Milliseconds first (OpenAI's {@code retry-after-ms}, Azure's {@code x-ms-retry-after-ms}). */
	private Duration retryAfter(OpenAIServiceException service) {
		for (String header : MILLIS_HEADERS) {
			Duration millis = HttpFailures.retryAfterMillis(first(service, header));
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

	Duration parseRetryAfter(String value) {
		return HttpFailures.retryAfter(value, this.clock);
	}

	/** The SDK's untyped JSON, looked into without its typed accessors (which throw on odd shapes). */
	private static final class OpenAiTree implements LenientErrorBody.Tree<JsonValue> {

		@Override
		public String scalar(JsonValue value) {
			Optional<String> string = value.asString();
			if (string.isPresent()) {
				return string.get();
			}
			Optional<Number> number = value.asNumber();
			if (number.isPresent()) {
				return number(number.get());
			}
			Optional<?> bool = value.asBoolean();
			return bool.isPresent() ? String.valueOf(bool.get()) : null;
		}

		/** A code of {@code 429.0} reads as {@code 429}. */
		private static String number(Number number) {
			double value = number.doubleValue();
			if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
				return Long.toString((long) value);
			}
			return number.toString();
		}

		@Override
		public List<JsonValue> elements(JsonValue value) {
			Optional<List<JsonValue>> array = value.asArray();
			return array.orElse(null);
		}

		@Override
		public Map<String, JsonValue> members(JsonValue value) {
			Optional<Map<String, JsonValue>> object = value.asObject();
			return object.orElse(null);
		}

	}

}

package io.github.aifallback.chat.anthropic;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.anthropic.core.JsonValue;
import com.anthropic.errors.AnthropicInvalidDataException;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.SseException;
import io.github.aifallback.chat.failure.BasicFailureClassifier;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureClassifier;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.internal.support.HttpFailures;
import io.github.aifallback.chat.internal.support.LenientErrorBody;

/**
 * Classifies the exceptions of the official anthropic-java SDK (which spring-ai-anthropic
 * uses) by HTTP status, the error's type and message read leniently from its body, the
 * {@code retry-after} header, and cause. An error event inside a 200 stream
 * ({@link SseException}) is classified by its type ({@code overloaded_error} is a server
 * error). A too-long prompt and a too-low credit balance are both 400
 * {@code invalid_request_error}, told apart by their message only. It never throws.
 *
 * @since 0.1.0
 */
public final class AnthropicFailureClassifier implements FailureClassifier {

	private static final List<String> CONTEXT_MARKERS = List.of("prompt is too long", "exceed context limit",
			"context window", "context length", "too many tokens", "maximum context");

	private static final List<String> CREDIT_MARKERS = List.of("credit balance", "purchase credits",
			"insufficient_quota", "exceeded your current quota");

	/**
	 * Anthropic's shape is {@code {"type":"error","error":{"type":"rate_limit_error","message":"..."}}}:
	 * the error's own {@code type} wins over the envelope's {@code "error"}.
	 */
	private static final LenientErrorBody.Dialect DIALECT = new LenientErrorBody.Dialect(
			List.of("message", "detail"), List.of("error"));

	private static final AnthropicTree TREE = new AnthropicTree();

	private final Clock clock;

	/**
	 * Create a classifier that reads HTTP-date {@code retry-after} values against the system
	 * clock.
	 */
	public AnthropicFailureClassifier() {
		this(Clock.systemUTC());
	}

	/**
	 * Create a classifier reading HTTP-date {@code retry-after} values against the given
	 * clock.
	 * @param clock the clock
	 */
	public AnthropicFailureClassifier(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * Classify a failed attempt. Never throws: a failure that cannot be read counts as
	 * {@link FailureKind#BAD_REQUEST}, so the chain falls back without retrying this entry.
	 */
	@Override
	public Failure classify(Throwable thrown) {
		return HttpFailures.guarded(thrown, this::classifyOrThrow);
	}

	private Failure classifyOrThrow(Throwable thrown) {
		Throwable failure = BasicFailureClassifier.unwrapped(thrown);
		if (failure instanceof AnthropicServiceException service) {
			return classify(service);
		}
		if (failure instanceof AnthropicInvalidDataException
				|| BasicFailureClassifier.hasCause(failure, AnthropicInvalidDataException.class)) {
			return Failure.of(FailureKind.INVALID_RESPONSE);
		}
		if (failure instanceof AnthropicIoException) {
			return Failure.of(BasicFailureClassifier.isTimeout(failure) ? FailureKind.TIMEOUT : FailureKind.CONNECTION);
		}
		return BasicFailureClassifier.INSTANCE.classify(failure);
	}

	private Failure classify(AnthropicServiceException service) {
		int status = service.statusCode();
		LenientErrorBody body = LenientErrorBody.read(service::body, TREE, DIALECT);
		Duration retryAfter;
		try {
			retryAfter = retryAfter(service);
		}
		catch (RuntimeException ex) {
			retryAfter = null;
		}
		FailureKind kind = (service instanceof SseException) ? kindOfEvent(body) : kindOfStatus(status, body);
		return new Failure(kind, status, retryAfter, body.type(), null, body.message());
	}

	/** An error event inside a 200 stream: the provider failed while answering. */
	private static FailureKind kindOfEvent(LenientErrorBody body) {
		String type = (body.type() != null) ? body.type().toLowerCase(Locale.ROOT) : "";
		return switch (type) {
			case "rate_limit_error" -> rateLimited(body);
			case "authentication_error", "permission_error" -> FailureKind.AUTH;
			case "not_found_error" -> FailureKind.MODEL_NOT_FOUND;
			case "request_too_large" -> FailureKind.CONTEXT_TOO_LONG;
			case "billing_error" -> FailureKind.QUOTA_EXHAUSTED;
			case "invalid_request_error" -> invalidRequest(body);
			// overloaded_error, api_error, timeout_error, and whatever else a server says mid-answer
			default -> FailureKind.SERVER_ERROR;
		};
	}

	private static FailureKind kindOfStatus(int status, LenientErrorBody body) {
		FailureKind kind = HttpFailures.kindOf(status);
		if (kind == FailureKind.RATE_LIMITED) {
			return rateLimited(body);
		}
		if (kind == FailureKind.AUTH || kind == FailureKind.MODEL_NOT_FOUND) {
			return kind;
		}
		// A billing error is one, whatever status a proxy gave it.
		if (status == 402 || "billing_error".equals(body.type())) {
			return FailureKind.QUOTA_EXHAUSTED;
		}
		if (status == 400) {
			return invalidRequest(body);
		}
		// 529 overloaded_error is a server error
		return kind;
	}

	private static FailureKind rateLimited(LenientErrorBody body) {
		return body.mentions(CREDIT_MARKERS) ? FailureKind.QUOTA_EXHAUSTED : FailureKind.RATE_LIMITED;
	}

	/** Same status, same type: only the message tells these apart. */
	private static FailureKind invalidRequest(LenientErrorBody body) {
		if (body.mentions(CONTEXT_MARKERS)) {
			return FailureKind.CONTEXT_TOO_LONG;
		}
		if (body.mentions(CREDIT_MARKERS)) {
			return FailureKind.QUOTA_EXHAUSTED;
		}
		return FailureKind.BAD_REQUEST;
	}

	private Duration retryAfter(AnthropicServiceException service) {
		Duration millis = HttpFailures.retryAfterMillis(first(service, "retry-after-ms"));
		return (millis != null) ? millis : parseRetryAfter(first(service, "retry-after"));
	}

	private static String first(AnthropicServiceException service, String header) {
		List<String> values = service.headers().values(header);
		return (values == null || values.isEmpty() || values.get(0) == null) ? null : values.get(0).trim();
	}

	/** Seconds, or an HTTP date. */
	Duration parseRetryAfter(String value) {
		return HttpFailures.retryAfter(value, this.clock);
	}

	/** The SDK's untyped JSON: numbers read as the SDK gives them. */
	private static final class AnthropicTree implements LenientErrorBody.Tree<JsonValue> {

		@Override
		public String scalar(JsonValue value) {
			Optional<String> string = value.asString();
			if (string.isPresent()) {
				return string.get();
			}
			Optional<Number> number = value.asNumber();
			if (number.isPresent()) {
				return number.get().toString();
			}
			Optional<Boolean> bool = value.asBoolean();
			return bool.isPresent() ? String.valueOf(bool.get()) : null;
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

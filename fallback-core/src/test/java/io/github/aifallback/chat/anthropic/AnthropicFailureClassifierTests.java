package io.github.aifallback.chat.anthropic;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import com.anthropic.core.JsonMissing;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.Headers;
import com.anthropic.errors.AnthropicInvalidDataException;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.PermissionDeniedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.SseException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.errors.UnexpectedStatusCodeException;
import org.junit.jupiter.api.Test;

import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The anthropic-java SDK's exceptions, as the SDK builds them, into failure kinds: by
 * status, error type and message (a long prompt and a low balance share status and type),
 * {@code retry-after}, and cause; never throwing, whatever the body.
 */
class AnthropicFailureClassifierTests {

	private final AnthropicFailureClassifier classifier = new AnthropicFailureClassifier(
			Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

	private static JsonValue body(String type, String message) {
		return JsonValue.from(Map.of("type", "error", "error", Map.of("type", type, "message", message)));
	}

	private static Headers headers(String... namesAndValues) {
		Headers.Builder headers = Headers.builder();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			headers.put(namesAndValues[i], namesAndValues[i + 1]);
		}
		return headers.build();
	}

	@Test
	void whenRateLimitedThenTheKindIsRateLimitedAndRetryAfterIsHonoured() {
		Failure failure = this.classifier.classify(RateLimitException.builder()
			.headers(headers("retry-after", "7"))
			.body(body("rate_limit_error", "slow down"))
			.build());

		assertThat(failure.kind()).isEqualTo(FailureKind.RATE_LIMITED);
		assertThat(failure.status()).isEqualTo(429);
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(7));
		assertThat(failure.errorType()).isEqualTo("rate_limit_error");
		assertThat(failure.message()).isEqualTo("slow down");
	}

	@Test
	void whenRetryAfterIsADateOrMillisOrGarbageThenItIsReadOrIgnored() {
		assertThat(retryAfter("retry-after", "Thu, 01 Jan 2026 00:00:30 GMT")).isEqualTo(Duration.ofSeconds(30));
		assertThat(retryAfter("retry-after-ms", "1500")).isEqualTo(Duration.ofMillis(1500));
		assertThat(retryAfter("retry-after", "NaN")).isNull();
		assertThat(retryAfter("retry-after", "soon")).isNull();
		assertThat(retryAfter("retry-after", "Wed, 31 Dec 2025 23:00:00 GMT")).isEqualTo(Duration.ZERO);
	}

	private Duration retryAfter(String header, String value) {
		return this.classifier.classify(RateLimitException.builder()
			.headers(headers(header, value))
			.body(body("rate_limit_error", "x"))
			.build()).retryAfter();
	}

	@Test
	void whenOverloadedOrAnyServerErrorThenTheKindIsServerError() {
		for (int status : List.of(500, 502, 503, 504, 529)) {
			Failure failure = this.classifier.classify(InternalServerException.builder()
				.statusCode(status)
				.headers(headers())
				.body(body((status == 529) ? "overloaded_error" : "api_error", "Overloaded"))
				.build());

			assertThat(failure.kind()).as("HTTP %s", status).isEqualTo(FailureKind.SERVER_ERROR);
			assertThat(failure.status()).isEqualTo(status);
		}
	}

	@Test
	void whenTheKeyOrItsPermissionIsWrongThenTheKindIsAuth() {
		assertThat(this.classifier.classify(UnauthorizedException.builder()
			.headers(headers())
			.body(body("authentication_error", "invalid x-api-key"))
			.build()).kind()).isEqualTo(FailureKind.AUTH);
		assertThat(this.classifier.classify(PermissionDeniedException.builder()
			.headers(headers())
			.body(body("permission_error", "no access"))
			.build()).kind()).isEqualTo(FailureKind.AUTH);
	}

	@Test
	void whenTheModelIsNotFoundThenTheKindIsModelNotFound() {
		assertThat(this.classifier.classify(NotFoundException.builder()
			.headers(headers())
			.body(body("not_found_error", "model: claude-x"))
			.build()).kind()).isEqualTo(FailureKind.MODEL_NOT_FOUND);
	}

	@Test
	void whenA400SaysThePromptIsTooLongOrTheBalanceTooLowThenOnlyTheMessageTellsThemApart() {
		assertThat(badRequest("prompt is too long: 215123 tokens > 200000 maximum"))
			.isEqualTo(FailureKind.CONTEXT_TOO_LONG);
		assertThat(badRequest("input length and `max_tokens` exceed context limit: 188240 + 21333 > 200000"))
			.isEqualTo(FailureKind.CONTEXT_TOO_LONG);
		assertThat(badRequest("Your credit balance is too low to access the Anthropic API. Please go to Plans & "
				+ "Billing to upgrade or purchase credits.")).isEqualTo(FailureKind.QUOTA_EXHAUSTED);
		assertThat(badRequest("messages: at least one message is required")).isEqualTo(FailureKind.BAD_REQUEST);
	}

	private FailureKind badRequest(String message) {
		return this.classifier.classify(BadRequestException.builder()
			.headers(headers())
			.body(body("invalid_request_error", message))
			.build()).kind();
	}

	@Test
	void whenAnErrorEventArrivesInsideA200StreamThenItsTypeDecides() {
		assertThat(event("overloaded_error", "Overloaded")).isEqualTo(FailureKind.SERVER_ERROR);
		assertThat(event("api_error", "Internal")).isEqualTo(FailureKind.SERVER_ERROR);
		assertThat(event("rate_limit_error", "slow")).isEqualTo(FailureKind.RATE_LIMITED);
		assertThat(event("invalid_request_error", "prompt is too long")).isEqualTo(FailureKind.CONTEXT_TOO_LONG);
		assertThat(event("authentication_error", "key")).isEqualTo(FailureKind.AUTH);
		assertThat(event("something_new", "?")).isEqualTo(FailureKind.SERVER_ERROR);
		Failure missing = this.classifier
			.classify(SseException.builder().statusCode(200).headers(headers()).body(JsonMissing.of()).build());
		assertThat(missing.kind()).isEqualTo(FailureKind.SERVER_ERROR);
		assertThat(missing.status()).isEqualTo(200);
	}

	private FailureKind event(String type, String message) {
		return this.classifier
			.classify(SseException.builder().statusCode(200).headers(headers()).body(body(type, message)).build())
			.kind();
	}

	@Test
	void whenTheBodyHasAnyShapeThenTheStatusStillClassifiesIt() {
		List<JsonValue> bodies = List.of(JsonMissing.of(), JsonValue.from("plain text"), JsonValue.from(List.of(1, 2)),
				JsonValue.from(Map.of("error", Map.of("code", 429, "message", "too many"))),
				JsonValue.from(Map.of("type", "error")), deep(200));
		for (JsonValue body : bodies) {
			assertThat(this.classifier
				.classify(RateLimitException.builder().headers(headers()).body(body).build())
				.kind()).isEqualTo(FailureKind.RATE_LIMITED);
			assertThat(this.classifier
				.classify(UnexpectedStatusCodeException.builder().statusCode(418).headers(headers()).body(body).build())
				.kind()).isEqualTo(FailureKind.BAD_REQUEST);
		}
	}

	private static JsonValue deep(int depth) {
		Object value = "bottom";
		for (int i = 0; i < depth; i++) {
			value = Map.of("error", value);
		}
		return JsonValue.from(value);
	}

	@Test
	void whenTheExceptionsAccessorsThrowThenItIsABadRequestAndNothingEscapes() {
		AnthropicServiceException broken = new AnthropicServiceException("broken", null) {

			@Override
			public int statusCode() {
				throw new IllegalStateException("no status");
			}

			@Override
			public Headers headers() {
				throw new IllegalStateException("no headers");
			}

			@Override
			public JsonValue body() {
				throw new IllegalStateException("no body");
			}

		};

		assertThat(this.classifier.classify(broken).kind()).isEqualTo(FailureKind.BAD_REQUEST);
	}

	@Test
	void whenTheBodyCannotBeReadThenTheStatusAndHeadersStillClassifyIt() {
		AnthropicServiceException unreadable = new AnthropicServiceException("unreadable", null) {

			@Override
			public int statusCode() {
				return 529;
			}

			@Override
			public Headers headers() {
				return AnthropicFailureClassifierTests.headers("retry-after", "3");
			}

			@Override
			public JsonValue body() {
				throw new IllegalStateException("no body");
			}

		};

		Failure failure = this.classifier.classify(unreadable);

		assertThat(failure.kind()).isEqualTo(FailureKind.SERVER_ERROR);
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void whenTheConnectionFailsOrTimesOutThenTheKindIsConnectionOrTimeout() {
		assertThat(this.classifier.classify(new AnthropicIoException("Request failed", new SocketTimeoutException("timeout")))
			.kind()).isEqualTo(FailureKind.TIMEOUT);
		assertThat(this.classifier
			.classify(new AnthropicIoException("Request failed", new java.io.InterruptedIOException("timeout")))
			.kind()).isEqualTo(FailureKind.TIMEOUT);
		assertThat(this.classifier.classify(new AnthropicIoException("Request failed", new ConnectException("refused")))
			.kind()).isEqualTo(FailureKind.CONNECTION);
		assertThat(this.classifier.classify(new CompletionException(
				new AnthropicIoException("Request failed", new IOException("unexpected end of stream"))))
			.kind()).isEqualTo(FailureKind.CONNECTION);
	}

	@Test
	void whenTheAnswerCannotBeReadThenTheKindIsInvalidResponse() {
		assertThat(this.classifier.classify(new AnthropicInvalidDataException("bad json")).kind())
			.isEqualTo(FailureKind.INVALID_RESPONSE);
	}

	@Test
	void whenSomethingElseIsThrownThenItIsABadRequest() {
		assertThat(this.classifier.classify(new IllegalArgumentException("bug")).kind())
			.isEqualTo(FailureKind.BAD_REQUEST);
	}

}

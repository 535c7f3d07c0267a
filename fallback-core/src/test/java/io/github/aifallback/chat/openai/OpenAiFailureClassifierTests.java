package io.github.aifallback.chat.openai;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import java.util.Optional;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.core.type.TypeReference;
import com.openai.core.JsonField;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.Headers;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.models.ErrorObject;
import org.junit.jupiter.api.Test;

import io.github.aifallback.chat.failure.AttemptTimeoutException;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.failure.InvalidResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Classification of the SDK's exceptions whatever the error body's shape, and parsing of
 * the waits providers ask for; the classifier never throws.
 */
class OpenAiFailureClassifierTests {

	private final OpenAiFailureClassifier classifier = new OpenAiFailureClassifier(
			java.time.Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC));

	@Test
	void whenRetryAfterIsInSecondsThenItIsRead() {
		assertThat(this.classifier.parseRetryAfter("2")).isEqualTo(Duration.ofSeconds(2));
		assertThat(this.classifier.parseRetryAfter("0.5")).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void whenRetryAfterIsAnHttpDateThenItIsReadAgainstTheClock() {
		assertThat(this.classifier.parseRetryAfter("Tue, 24 Nov 2026 10:00:30 GMT")).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void whenRetryAfterIsInThePastOrGarbageThenItIsZeroOrIgnored() {
		assertThat(this.classifier.parseRetryAfter("Tue, 24 Nov 2026 09:00:00 GMT")).isEqualTo(Duration.ZERO);
		assertThat(this.classifier.parseRetryAfter("soon")).isNull();
	}

	@Test
	void whenTheFailureIsOurOwnThenItIsClassifiedByType() {
		assertThat(this.classifier.classify(new InvalidResponseException("empty")).kind())
			.isEqualTo(FailureKind.INVALID_RESPONSE);
		assertThat(this.classifier.classify(new AttemptTimeoutException("slow")).kind()).isEqualTo(FailureKind.TIMEOUT);
		assertThat(this.classifier.classify(new IllegalStateException("?")).kind()).isEqualTo(FailureKind.BAD_REQUEST);
	}

	@Test
	void whenAzureSendsNoTypeThenTheFailureIsRateLimitedAndItsWaitIsRead() {
		RateLimitException azure = RateLimitException.builder()
			.headers(Headers.builder().put("x-ms-retry-after-ms", "1500").build())
			.error(error("{\"code\":\"429\",\"message\":\"Requests exceeded the token rate limit\"}"))
			.build();
		assertThatCode(azure::type).as("the SDK's own accessor").isInstanceOf(RuntimeException.class);

		Failure failure = this.classifier.classify(azure);

		assertThat(failure.kind()).isEqualTo(FailureKind.RATE_LIMITED);
		assertThat(failure.status()).isEqualTo(429);
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofMillis(1500));
		assertThat(failure.errorCode()).isEqualTo("429");
		assertThat(failure.errorType()).isNull();
		assertThat(failure.message()).isEqualTo("Requests exceeded the token rate limit");
	}

	@Test
	void whenTheQuotaMarkerIsANestedNumberOrStringThenTheFailureIsQuotaExhausted() {
		RateLimitException nested = RateLimitException.builder()
			.headers(Headers.builder().build())
			.error(error("{\"type\":null,\"code\":429,\"error\":{\"details\":[{\"reason\":\"insufficient_quota\"}]}}"))
			.build();

		Failure failure = this.classifier.classify(new CompletionException(nested));

		assertThat(failure.kind()).isEqualTo(FailureKind.QUOTA_EXHAUSTED);
		assertThat(failure.errorCode()).isEqualTo("429");
	}

	@Test
	void whenTheContextMarkerIsOnlyInTheMessageThenTheFailureIsContextTooLong() {
		BadRequestException tooLong = BadRequestException.builder()
			.headers(Headers.builder().build())
			.error(error("{\"message\":\"This model's maximum context length is 8192 tokens\",\"code\":400}"))
			.build();

		assertThat(this.classifier.classify(tooLong).kind()).isEqualTo(FailureKind.CONTEXT_TOO_LONG);
	}

	@Test
	void whenRetryAfterIsNotFiniteThenItIsIgnored() {
		InternalServerException busy = InternalServerException.builder()
			.statusCode(503)
			.headers(Headers.builder().put("retry-after-ms", "NaN").put("retry-after", "Infinity").build())
			.build();

		Failure failure = this.classifier.classify(busy);

		assertThat(failure.kind()).isEqualTo(FailureKind.SERVER_ERROR);
		assertThat(failure.retryAfter()).isNull();
	}

	@Test
	void whenTheExceptionsAccessorsThrowThenTheStatusStillClassifiesIt() {
		assertThat(this.classifier.classify(new HostileServiceException(500, false)))
			.isEqualTo(new Failure(FailureKind.SERVER_ERROR, 500, null));
	}

	@Test
	void whenEvenTheStatusCannotBeReadThenTheFailureIsABadRequest() {
		assertThat(this.classifier.classify(new HostileServiceException(0, true)))
			.isEqualTo(Failure.of(FailureKind.BAD_REQUEST));
		assertThat(this.classifier.classify(null)).isEqualTo(Failure.of(FailureKind.BAD_REQUEST));
	}

	@Test
	void whenCausesFormACycleThenClassificationEnds() {
		RuntimeException first = new RuntimeException("first");
		CompletionException second = new CompletionException(first);
		first.initCause(second);

		assertTimeoutPreemptively(Duration.ofSeconds(5),
				() -> assertThat(this.classifier.classify(second).kind()).isEqualTo(FailureKind.BAD_REQUEST));
	}

	private static JsonField<ErrorObject> error(String json) {
		try {
			return ObjectMappers.jsonMapper()
				.readerFor(new TypeReference<JsonField<ErrorObject>>() {
				})
				.readValue(json);
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An exception whose accessors throw, as a buggy or future SDK's might. */
	static final class HostileServiceException extends OpenAIServiceException {

		private final int status;

		private final boolean statusThrows;

		HostileServiceException(int status, boolean statusThrows) {
			super("hostile", null);
			this.status = status;
			this.statusThrows = statusThrows;
		}

		@Override
		public int statusCode() {
			if (this.statusThrows) {
				throw new IllegalStateException("no status");
			}
			return this.status;
		}

		@Override
		public Headers headers() {
			throw new IllegalStateException("no headers");
		}

		@Override
		public JsonValue body() {
			throw new IllegalStateException("no body");
		}

		@Override
		public Optional<String> code() {
			throw new IllegalStateException("no code");
		}

		@Override
		public Optional<String> param() {
			throw new IllegalStateException("no param");
		}

		@Override
		public Optional<String> type() {
			throw new IllegalStateException("no type");
		}

	}

}

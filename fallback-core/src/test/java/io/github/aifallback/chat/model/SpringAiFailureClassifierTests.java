package io.github.aifallback.chat.model;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;
import org.junit.jupiter.api.Test;

import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.retry.RetryException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SpringAiFailureClassifier} on real exceptions of Spring AI, spring-web and
 * spring-webflux, and without those libraries.
 */
class SpringAiFailureClassifierTests {

	private final SpringAiFailureClassifier classifier = new SpringAiFailureClassifier(
			Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC));

	private static HttpHeaders retryAfter(String value) {
		HttpHeaders headers = new HttpHeaders();
		headers.add(HttpHeaders.RETRY_AFTER, value);
		return headers;
	}

	private static RestClientResponseException rest(int status, String body, HttpHeaders headers) {
		return new RestClientResponseException("error", status, "status", headers,
				body.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
	}

	private static WebClientResponseException webClient(int status, String body, HttpHeaders headers) {
		return WebClientResponseException.create(status, "status", headers, body.getBytes(StandardCharsets.UTF_8),
				StandardCharsets.UTF_8);
	}

	private FailureKind kind(Throwable thrown) {
		return this.classifier.classify(thrown).kind();
	}

	@Test
	void whenSpringAiReportsA5xxThenItIsAServerErrorWithItsStatus() {
		Failure failure = this.classifier.classify(new TransientAiException("500 - {\"error\":\"internal\"}"));

		assertThat(failure.kind()).isEqualTo(FailureKind.SERVER_ERROR);
		assertThat(failure.status()).isEqualTo(500);
	}

	@Test
	void whenSpringAiReportsA429AsNonTransientThenItIsRateLimitedStill() {
		assertThat(kind(new NonTransientAiException("429 - {\"error\":\"too many requests\"}")))
			.isEqualTo(FailureKind.RATE_LIMITED);
	}

	@Test
	void whenSpringAiReportsA429AboutQuotaThenTheQuotaIsExhausted() {
		assertThat(kind(new NonTransientAiException("429 - {\"error\":{\"code\":\"insufficient_quota\"}}")))
			.isEqualTo(FailureKind.QUOTA_EXHAUSTED);
	}

	@Test
	void whenSpringAiReportsOllamasModelNotFoundThenTheModelIsNotFound() {
		assertThat(kind(new NonTransientAiException("404 - {\"error\":\"model 'x' not found\"}")))
			.isEqualTo(FailureKind.MODEL_NOT_FOUND);
	}

	@Test
	void whenSpringAiReportsA400AboutTheContextThenTheContextIsTooLong() {
		assertThat(kind(new NonTransientAiException("400 - {\"error\":\"maximum context length is 8192 tokens\"}")))
			.isEqualTo(FailureKind.CONTEXT_TOO_LONG);
	}

	@Test
	void whenSpringAiReportsA401ThenItIsAuth() {
		assertThat(kind(new NonTransientAiException("401 - unauthorized"))).isEqualTo(FailureKind.AUTH);
	}

	@Test
	void whenATransientExceptionHasNoStatusThenItIsAServerError() {
		assertThat(kind(new TransientAiException("model overloaded"))).isEqualTo(FailureKind.SERVER_ERROR);
	}

	@Test
	void whenATransientExceptionWithoutStatusSaysRateLimitThenItIsRateLimited() {
		assertThat(kind(new TransientAiException("Rate limit reached, slow down"))).isEqualTo(FailureKind.RATE_LIMITED);
	}

	@Test
	void whenANonTransientExceptionHasNoStatusThenItIsABadRequest() {
		assertThat(kind(new NonTransientAiException("invalid tool schema"))).isEqualTo(FailureKind.BAD_REQUEST);
	}

	@Test
	void whenATransientExceptionWrapsAConnectionErrorThenTheCauseDecides() {
		assertThat(kind(new TransientAiException("failed", new ConnectException("refused"))))
			.isEqualTo(FailureKind.CONNECTION);
	}

	@Test
	void whenAnHttpStatusCodeExceptionIs429WithRetryAfterThenItIsRateLimitedWithTheWait() {
		Failure failure = this.classifier.classify(HttpClientErrorException.create(HttpStatus.TOO_MANY_REQUESTS,
				"Too Many Requests", retryAfter("7"), new byte[0], StandardCharsets.UTF_8));

		assertThat(failure.kind()).isEqualTo(FailureKind.RATE_LIMITED);
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(7));
	}

	@Test
	void whenARestClientResponseHasAnHttpDateRetryAfterThenTheWaitIsUntilThatDate() {
		Failure failure = this.classifier
			.classify(rest(503, "busy", retryAfter("Wed, 01 Jan 2025 00:00:30 GMT")));

		assertThat(failure.kind()).isEqualTo(FailureKind.SERVER_ERROR);
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void whenARestClientResponseIs529ThenItIsAServerError() {
		assertThat(kind(rest(529, "overloaded", new HttpHeaders()))).isEqualTo(FailureKind.SERVER_ERROR);
	}

	@Test
	void whenAServerErrorExceptionIs502ThenItIsAServerError() {
		assertThat(kind(HttpServerErrorException.create(HttpStatus.BAD_GATEWAY, "Bad Gateway", new HttpHeaders(),
				new byte[0], StandardCharsets.UTF_8)))
			.isEqualTo(FailureKind.SERVER_ERROR);
	}

	@Test
	void whenARestClientResponseIs403ThenItIsAuth() {
		assertThat(kind(rest(403, "forbidden", new HttpHeaders()))).isEqualTo(FailureKind.AUTH);
	}

	@Test
	void whenARestClientResponseIs404ThenTheModelIsNotFound() {
		assertThat(kind(rest(404, "not found", new HttpHeaders()))).isEqualTo(FailureKind.MODEL_NOT_FOUND);
	}

	@Test
	void whenARestClientResponseIs400AboutTheContextThenTheContextIsTooLong() {
		assertThat(kind(rest(400, "{\"error\":{\"code\":\"context_length_exceeded\"}}", new HttpHeaders())))
			.isEqualTo(FailureKind.CONTEXT_TOO_LONG);
	}

	@Test
	void whenARestClientResponseIs422ThenItIsABadRequest() {
		assertThat(kind(rest(422, "unprocessable", new HttpHeaders()))).isEqualTo(FailureKind.BAD_REQUEST);
	}

	@Test
	void whenAWebClientResponseIs429AboutQuotaThenTheQuotaIsExhausted() {
		assertThat(kind(webClient(429, "{\"error\":{\"code\":\"insufficient_quota\"}}", retryAfter("3"))))
			.isEqualTo(FailureKind.QUOTA_EXHAUSTED);
	}

	@Test
	void whenAWebClientResponseIs429ThenItIsRateLimitedWithTheWait() {
		Failure failure = this.classifier.classify(webClient(429, "slow down", retryAfter("2")));

		assertThat(failure.kind()).isEqualTo(FailureKind.RATE_LIMITED);
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void whenAWebClientResponseIs500ThenItIsAServerError() {
		assertThat(kind(webClient(500, "oops", new HttpHeaders()))).isEqualTo(FailureKind.SERVER_ERROR);
	}

	@Test
	void whenAResourceAccessTimesOutThenItIsATimeout() {
		assertThat(kind(new ResourceAccessException("I/O error", new SocketTimeoutException("Read timed out"))))
			.isEqualTo(FailureKind.TIMEOUT);
	}

	@Test
	void whenAResourceAccessIsRefusedThenItIsAConnectionFailure() {
		assertThat(kind(new ResourceAccessException("I/O error", new ConnectException("Connection refused"))))
			.isEqualTo(FailureKind.CONNECTION);
	}

	@Test
	void whenAWebClientRequestFailsThenItIsAConnectionFailure() {
		assertThat(kind(new WebClientRequestException(new ConnectException("Connection refused"), HttpMethod.POST,
				java.net.URI.create("http://127.0.0.1:1/api/chat"), new HttpHeaders())))
			.isEqualTo(FailureKind.CONNECTION);
	}

	@Test
	void whenTheBodyCannotBeReadThenTheResponseIsInvalid() {
		assertThat(kind(new RestClientException("Error while extracting response",
				new HttpMessageNotReadableException("bad json", (org.springframework.http.HttpInputMessage) null))))
			.isEqualTo(FailureKind.INVALID_RESPONSE);
	}

	@Test
	void whenAStreamCannotBeDecodedThenTheResponseIsInvalid() {
		assertThat(kind(new DecodingException("JSON decoding error"))).isEqualTo(FailureKind.INVALID_RESPONSE);
	}

	@Test
	void whenSpringsRetryTemplateWrapsTheFailureThenTheCauseDecides() {
		assertThat(kind(new RetryException("retries exhausted", new TransientAiException("503 - loading"))))
			.isEqualTo(FailureKind.SERVER_ERROR);
	}

	@Test
	void whenTheFailureIsUnknownThenTheBasicClassifierDecides() {
		assertThat(kind(new IllegalStateException("bug"))).isEqualTo(FailureKind.BAD_REQUEST);
		assertThat(kind(new java.io.UncheckedIOException(new IOException("reset")))).isEqualTo(FailureKind.CONNECTION);
	}

	@Test
	void whenAnExceptionsAccessorsThrowThenItIsABadRequestAndNothingEscapes() {
		RestClientResponseException broken = new RestClientResponseException("x", 500, "x", null, null, null) {
			@Override
			public String getResponseBodyAsString() {
				throw new IllegalStateException("broken");
			}
		};

		assertThat(kind(broken)).isEqualTo(FailureKind.BAD_REQUEST);
	}

	@Test
	void whenSpringWebAndSpringAiRetryAreAbsentThenTheClassifierStillWorks() throws Exception {
		List<URL> urls = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			urls.add(new File(entry).toURI().toURL());
		}
		try (URLClassLoader loader = new HidingClassLoader(urls.toArray(URL[]::new))) {
			Class<?> type = loader.loadClass(SpringAiFailureClassifier.class.getName());
			Object classifier = type.getConstructor().newInstance();
			Object failure = type.getMethod("classify", Throwable.class)
				.invoke(classifier, new java.io.UncheckedIOException(new ConnectException("refused")));

			assertThat(failure.toString()).contains("kind=CONNECTION");
		}
	}

	/** Loads everything itself, and nothing of spring-web, spring-webflux or spring-ai-retry. */
	private static final class HidingClassLoader extends URLClassLoader {

		HidingClassLoader(URL[] urls) {
			super(urls, ClassLoader.getPlatformClassLoader());
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			if (name.startsWith("org.springframework.web.") || name.startsWith("org.springframework.http.")
					|| name.startsWith("org.springframework.ai.retry.")) {
				throw new ClassNotFoundException(name);
			}
			return super.loadClass(name, resolve);
		}

	}

}

package io.github.aifallback.chat.model;

import java.time.Clock;

import io.github.aifallback.chat.failure.BasicFailureClassifier;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;

import org.springframework.http.HttpHeaders;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * What {@code RestClient} and {@code RestTemplate} throw (spring-web). Loaded only when
 * spring-web is on the class path.
 */
final class WebFailures {

	private WebFailures() {
	}

	/** The failure, or {@code null} when this is none of spring-web's exceptions. */
	static Failure classify(Throwable thrown, Clock clock) {
		if (thrown instanceof RestClientResponseException response) {
			// HttpStatusCodeException and its subclasses are RestClientResponseExceptions.
			return StatusFailures.of(response.getStatusCode().value(), response.getResponseBodyAsString(),
					retryAfter(response.getResponseHeaders()), clock);
		}
		if (thrown instanceof ResourceAccessException) {
			return Failure.of(BasicFailureClassifier.isTimeout(thrown) ? FailureKind.TIMEOUT : FailureKind.CONNECTION);
		}
		if (thrown instanceof RestClientException
				&& BasicFailureClassifier.hasCause(thrown, HttpMessageNotReadableException.class)) {
			return Failure.of(FailureKind.INVALID_RESPONSE);
		}
		return null;
	}

	static String retryAfter(HttpHeaders headers) {
		return (headers != null) ? headers.getFirst(HttpHeaders.RETRY_AFTER) : null;
	}

}

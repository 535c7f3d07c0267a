package io.github.aifallback.chat.model;

import java.time.Clock;

import io.github.aifallback.chat.failure.BasicFailureClassifier;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;

import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * What {@code WebClient} throws (spring-webflux): Spring AI's streaming calls go through it.
 * Loaded only when spring-webflux is on the class path.
 */
final class WebFluxFailures {

	private WebFluxFailures() {
	}

	/** The failure, or {@code null} when this is none of spring-webflux's exceptions. */
	static Failure classify(Throwable thrown, Clock clock) {
		if (thrown instanceof WebClientResponseException response) {
			return StatusFailures.of(response.getStatusCode().value(), response.getResponseBodyAsString(),
					WebFailures.retryAfter(response.getHeaders()), clock);
		}
		if (thrown instanceof WebClientRequestException) {
			return Failure.of(BasicFailureClassifier.isTimeout(thrown) ? FailureKind.TIMEOUT : FailureKind.CONNECTION);
		}
		return null;
	}

}

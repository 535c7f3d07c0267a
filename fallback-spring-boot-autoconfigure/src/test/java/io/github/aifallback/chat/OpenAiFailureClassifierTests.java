package io.github.aifallback.chat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parsing of the waits providers ask for.
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

}

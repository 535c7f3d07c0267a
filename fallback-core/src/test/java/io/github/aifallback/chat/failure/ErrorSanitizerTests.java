package io.github.aifallback.chat.failure;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a provider said about a failure reaches exceptions only bounded, with keys, the
 * request's text and credential look-alikes redacted.
 */
class ErrorSanitizerTests {

	private static final String KEY = "gw-live-0123456789abcdef";

	private static final String PROMPT = "Summarise the merger terms for ACME Corp";

	@Test
	void whenTheMessageEchoesAKeyAndThePromptThenNeitherIsKept() {
		RuntimeException original = new RuntimeException(
				"401: Incorrect API key provided: " + KEY + " for request \"" + PROMPT + "\"");

		ProviderErrorException sanitized = ErrorSanitizer.sanitize(original, null, List.of(KEY), List.of(PROMPT));

		assertThat(sanitized.getMessage()).doesNotContain(KEY)
			.doesNotContain(PROMPT)
			.contains(ErrorSanitizer.REDACTED)
			.startsWith(RuntimeException.class.getName());
		assertThat(sanitized.toString()).doesNotContain(KEY).doesNotContain(PROMPT);
	}

	@Test
	void whenThePromptIsEchoedJsonEscapedThenItIsRedactedToo() {
		String prompt = "line one \"quoted\"\nline two";
		String echoed = "{\"error\":{\"message\":\"bad input: line one \\\"quoted\\\"\\nline two\"}}";

		assertThat(ErrorSanitizer.redact(echoed, List.of(), List.of(prompt))).doesNotContain("quoted")
			.contains(ErrorSanitizer.REDACTED);
	}

	@Test
	void whenTextsAreShortThenOrdinaryWordsSurvive() {
		assertThat(ErrorSanitizer.redact("the model is overloaded", List.of("k", ""), List.of("the", "model")))
			.isEqualTo("the model is overloaded");
	}

	@Test
	void whenTheMessageHoldsCredentialLookAlikesThenTheyAreRedacted() {
		String text = "key sk-proj-AbCdEf0123456789 header Authorization: Bearer abc.def.ghi "
				+ "api-key: 9f8e7d6c5b4a and {\"api_key\":\"zz-secret-99\"} url ?key=AIzaSyA0123456789abcdefghijKLMN";

		String redacted = ErrorSanitizer.redact(text, null, null);

		assertThat(redacted).doesNotContain("AbCdEf0123456789")
			.doesNotContain("abc.def.ghi")
			.doesNotContain("9f8e7d6c5b4a")
			.doesNotContain("zz-secret-99")
			.doesNotContain("AIzaSy");
	}

	@Test
	void whenTheMessageIsHugeThenItIsCutToAboutFiveHundredCharacters() {
		String huge = "x".repeat(8 * 1024 * 1024);

		assertThat(ErrorSanitizer.redact(huge, List.of(KEY), List.of(PROMPT)))
			.hasSizeLessThanOrEqualTo(ErrorSanitizer.MAX_MESSAGE_LENGTH + 20);
		assertThat(ErrorSanitizer.sanitize(new IllegalStateException(huge), null, List.of(), List.of()).getMessage())
			.hasSizeLessThan(ErrorSanitizer.MAX_MESSAGE_LENGTH + 100);
	}

	@Test
	void whenAFailureIsGivenThenItsDetailsAreKeptAndTheOriginalIsNot() {
		RuntimeException original = new RuntimeException("429: {\"error\":{\"message\":\"slow down " + KEY + "\"}}",
				new IOException("socket said " + KEY));
		Failure failure = new Failure(FailureKind.RATE_LIMITED, 429, null, "requests", "rate_limit_exceeded",
				"slow down " + KEY);

		ProviderErrorException sanitized = ErrorSanitizer.sanitize(original, failure, List.of(KEY), List.of());

		assertThat(sanitized.getKind()).isEqualTo(FailureKind.RATE_LIMITED);
		assertThat(sanitized.getStatus()).isEqualTo(429);
		assertThat(sanitized.getErrorType()).isEqualTo("requests");
		assertThat(sanitized.getErrorCode()).isEqualTo("rate_limit_exceeded");
		assertThat(sanitized.getOriginalClassName()).isEqualTo(RuntimeException.class.getName());
		assertThat(sanitized.getSanitizedMessage()).isEqualTo("slow down " + ErrorSanitizer.REDACTED);
		assertThat(sanitized.getStackTrace()).isEqualTo(original.getStackTrace());
		assertThat(sanitized.getCause()).isInstanceOf(ProviderErrorException.class)
			.hasMessageContaining(IOException.class.getName())
			.hasMessageNotContaining(KEY);
		assertThat(sanitized.getCause()).isNotSameAs(original.getCause());
		assertThat(sanitized.getSuppressed()).isEmpty();
	}

	@Test
	void whenCausesFormACycleThenTheCopyEnds() {
		RuntimeException first = new RuntimeException("first");
		RuntimeException second = new RuntimeException("second", first);
		first.initCause(second);

		ProviderErrorException sanitized = ErrorSanitizer.sanitize(first, null, List.of(), List.of());

		assertThat(sanitized.getCause()).hasMessageContaining("second");
		assertThat(sanitized.getCause().getCause()).isNull();
	}

	@Test
	void whenTheOriginalsMessageThrowsThenOnlyItsClassNameIsKept() {
		RuntimeException hostile = new RuntimeException() {
			@Override
			public String getMessage() {
				throw new IllegalStateException("no");
			}
		};

		ProviderErrorException sanitized = ErrorSanitizer.sanitize(hostile, Failure.of(FailureKind.CONNECTION),
				List.of(), List.of());

		assertThat(sanitized.getOriginalClassName()).isEqualTo(hostile.getClass().getName());
		assertThat(sanitized.getKind()).isEqualTo(FailureKind.CONNECTION);
	}

	@Test
	void whenThereIsNoOriginalThenThereIsNoCopy() {
		assertThat(ErrorSanitizer.sanitize(null, null, List.of(), List.of())).isNull();
	}

	@Test
	void whenAFailureIsBuiltThenItsProviderDetailsAreBoundedAndCredentialsRedacted() {
		Failure failure = new Failure(FailureKind.AUTH, 401, null, "t".repeat(1000), "c".repeat(1000),
				"Bearer abcdefghijkl " + "m".repeat(10_000));

		assertThat(failure.errorType()).hasSizeLessThan(120);
		assertThat(failure.errorCode()).hasSizeLessThan(120);
		assertThat(failure.message()).hasSizeLessThan(ErrorSanitizer.MAX_MESSAGE_LENGTH + 20)
			.doesNotContain("abcdefghijkl");
		assertThat(failure.toString()).doesNotContain("mmmm");
		assertThat(Failure.of(FailureKind.TIMEOUT)).isEqualTo(new Failure(FailureKind.TIMEOUT, 0, null));
	}

}

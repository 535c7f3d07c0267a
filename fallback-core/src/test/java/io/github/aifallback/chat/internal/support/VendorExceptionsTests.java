package io.github.aifallback.chat.internal.support;

import java.time.Clock;

import com.anthropic.errors.AnthropicIoException;
import com.openai.errors.OpenAIIoException;
import io.github.aifallback.chat.anthropic.internal.AnthropicSdkExceptions;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.openai.internal.OpenAiSdkExceptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vendor adapters lend their exception readers through the service loader; the test
 * class path also names a provider whose class is absent (as a vendor's SDK is on an
 * application without it), and it is skipped.
 */
class VendorExceptionsTests {

	@Test
	void whenAProviderCannotBeLoadedThenItIsSkippedAndTheOthersAreInstalled() {
		assertThat(VendorExceptions.installed()).hasSize(2)
			.hasAtLeastOneElementOfType(OpenAiSdkExceptions.class)
			.hasAtLeastOneElementOfType(AnthropicSdkExceptions.class);
	}

	@Test
	void whenAnExceptionIsAnSdksThenOnlyThatSdksReaderRecognisesIt() {
		OpenAiSdkExceptions openAi = new OpenAiSdkExceptions();
		AnthropicSdkExceptions anthropic = new AnthropicSdkExceptions();
		OpenAIIoException openAiTimeout = new OpenAIIoException("timed out",
				new java.net.SocketTimeoutException("read timed out"));

		assertThat(openAi.recognises(openAiTimeout)).isTrue();
		assertThat(anthropic.recognises(openAiTimeout)).isFalse();
		assertThat(openAi.recognises(new IllegalStateException("x"))).isFalse();
		assertThat(anthropic.recognises(new AnthropicIoException("refused", new java.net.ConnectException()))).isTrue();
		assertThat(openAi.classify(openAiTimeout, Clock.systemUTC()).kind()).isEqualTo(FailureKind.TIMEOUT);
	}

}

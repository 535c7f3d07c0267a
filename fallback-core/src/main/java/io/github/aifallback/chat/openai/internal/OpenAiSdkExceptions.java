package io.github.aifallback.chat.openai.internal;

import java.time.Clock;

import com.openai.errors.OpenAIException;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.internal.support.VendorExceptions;
import io.github.aifallback.chat.openai.OpenAiFailureClassifier;

/**
 * The openai-java SDK's exceptions, for an entry that wraps an application's own
 * {@code OpenAiChatModel}: read as the OpenAI adapter's entries read them. Found through
 * {@link java.util.ServiceLoader}; not API.
 */
public final class OpenAiSdkExceptions implements VendorExceptions {

	@Override
	public boolean recognises(Throwable thrown) {
		return thrown instanceof OpenAIException;
	}

	@Override
	public Failure classify(Throwable thrown, Clock clock) {
		return new OpenAiFailureClassifier(clock).classify(thrown);
	}

}

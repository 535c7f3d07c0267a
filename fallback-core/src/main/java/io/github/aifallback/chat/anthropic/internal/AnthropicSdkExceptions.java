package io.github.aifallback.chat.anthropic.internal;

import java.time.Clock;

import com.anthropic.errors.AnthropicException;
import io.github.aifallback.chat.anthropic.AnthropicFailureClassifier;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.internal.support.VendorExceptions;

/**
 * The anthropic-java SDK's exceptions, for an entry that wraps an application's own
 * {@code AnthropicChatModel}: read as the Anthropic adapter's entries read them. Found through
 * {@link java.util.ServiceLoader}; not API.
 */
public final class AnthropicSdkExceptions implements VendorExceptions {

	@Override
	public boolean recognises(Throwable thrown) {
		return thrown instanceof AnthropicException;
	}

	@Override
	public Failure classify(Throwable thrown, Clock clock) {
		return new AnthropicFailureClassifier(clock).classify(thrown);
	}

}

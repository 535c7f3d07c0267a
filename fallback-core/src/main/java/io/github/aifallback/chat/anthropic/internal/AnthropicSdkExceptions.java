package io.github.aifallback.chat.anthropic.internal;

import com.anthropic.errors.AnthropicException;
import io.github.aifallback.chat.anthropic.AnthropicFailureClassifier;
import io.github.aifallback.chat.internal.support.VendorExceptions;

/**
 * The anthropic-java SDK's exceptions, for an entry that wraps an application's own
 * {@code AnthropicChatModel}: read as the Anthropic adapter's entries read them. Found through
 * {@link java.util.ServiceLoader}; not API.
 */
public final class AnthropicSdkExceptions extends VendorExceptions.OfType {

	/** The provider, for the service loader. */
	public AnthropicSdkExceptions() {
		super(AnthropicException.class, AnthropicFailureClassifier::new);
	}

}

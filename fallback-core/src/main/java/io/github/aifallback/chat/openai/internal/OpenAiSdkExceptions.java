package io.github.aifallback.chat.openai.internal;

import com.openai.errors.OpenAIException;
import io.github.aifallback.chat.internal.support.VendorExceptions;
import io.github.aifallback.chat.openai.OpenAiFailureClassifier;

/**
 * The openai-java SDK's exceptions, for an entry that wraps an application's own
 * {@code OpenAiChatModel}: read as the OpenAI adapter's entries read them. Found through
 * {@link java.util.ServiceLoader}; not API.
 */
public final class OpenAiSdkExceptions extends VendorExceptions.OfType {

	/** The provider, for the service loader. */
	public OpenAiSdkExceptions() {
		super(OpenAIException.class, OpenAiFailureClassifier::new);
	}

}

package io.github.aifallback.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.aifallback.chat.failure.UrlRedaction;

/**
 * One endpoint of a chain entry (the entry itself, or one of its deployments), its settings
 * resolved from {@code ai.fallback.*} and checked once at start-up: what an
 * {@link EntryModelFactory} builds a model from. Its {@link #toString()} never shows the key
 * nor header values.
 *
 * @param property the property prefix its settings came from, for errors, e.g.
 * {@code ai.fallback.chain[0]} or {@code ai.fallback.chain[0].deployments[1]}
 * @param provider the name of the {@link EntryModelFactory} that builds it, e.g.
 * {@code openai}
 * @param providerKey the key of its provider under {@code ai.fallback.providers}, or
 * {@code null} when it names none
 * @param model the model id sent to the provider; for a {@code chat-model} entry, {@code null}
 * when the bean's own is used
 * @param chatModel the name of the {@code ChatModel} bean of a {@code chat-model} entry, else
 * {@code null}
 * @param baseUrl the base URL, {@code null} for a {@code chat-model} entry
 * @param apiKey the API key sent only to that URL, {@code null} for a {@code chat-model} entry
 * @param headers headers sent with every request
 * @param forwardHeaders names of the caller's per-request headers sent on
 * @param timeout each attempt's timeout: the entry's own, else the chain's
 * @param maxResponseBytes the largest response body read
 * @since 0.1.0
 */
public record ResolvedEndpoint(String property, String provider, String providerKey, String model, String chatModel,
		String baseUrl, String apiKey, Map<String, String> headers, List<String> forwardHeaders, Duration timeout,
		long maxResponseBytes) {

	/** The provider's type property when it names one, else the entry's. */
	String providerTypeProperty() {
		return (this.providerKey != null) ? "ai.fallback.providers." + this.providerKey + ".type"
				: this.property + ".provider";
	}

	@Override
	public String toString() {
		return "ResolvedEndpoint[" + this.property + ", provider=" + this.provider + ", model=" + this.model
				+ ((this.chatModel != null) ? ", chatModel=" + this.chatModel : "") + ", baseUrl="
				+ UrlRedaction.redact(this.baseUrl) + ", headers=" + this.headers.keySet() + ", timeout="
				+ this.timeout + "]";
	}

}

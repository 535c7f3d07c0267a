package io.github.aifallback.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one chain entry sends its requests, and with what: the base URL, the API key and
 * the configured headers come together from ONE source, never the URL of one and the key
 * of another.
 * <p>
 * The source is the first of these that sets a base URL or an API key: the entry itself
 * ({@code ai.fallback.chain[i].*}), the provider it names
 * ({@code ai.fallback.providers.<key>.*}), or, for an entry that names no provider,
 * {@code spring.ai.openai.*}. That source must set both (a URL with no key, or a key with
 * no URL, fails start-up), with one exception: {@code spring.ai.openai.api-key} alone goes
 * to OpenAI's own {@value ChainFactory#DEFAULT_BASE_URL}, as Spring AI does. An entry or a
 * provider never gets that default: its key is sent only to a URL written beside it. A
 * property that is set but empty or blank (an unset {@code ${X:}}) is an error that names
 * it, never "not set".
 *
 * @param baseUrl the base URL
 * @param apiKey the API key
 * @param headers headers sent with every request of the entry
 * @param forwardHeaders names of the caller's per-request headers the entry sends on
 */
record EntryEndpoint(String baseUrl, String apiKey, Map<String, String> headers, List<String> forwardHeaders) {

	/**
	 * Resolve an entry's endpoint.
	 * @param prefix the entry's property prefix, e.g. {@code ai.fallback.chain[0]}
	 * @param entry the entry
	 * @param providerKey the key of the entry's provider, or {@code null}
	 * @param provider the entry's provider, or {@code null}
	 * @param defaultBaseUrl {@code spring.ai.openai.base-url}, or {@code null}
	 * @param defaultApiKey {@code spring.ai.openai.api-key}, or {@code null}
	 * @return the endpoint
	 * @throws InvalidFallbackConfigurationException naming the property to fix
	 */
	static EntryEndpoint resolve(String prefix, FallbackProperties.Entry entry, String providerKey,
			FallbackProperties.Provider provider, String defaultBaseUrl, String defaultApiKey) {
		requireNotBlank(prefix, entry.getBaseUrl(), entry.getApiKey(), entry.getHeaders());
		if (provider != null) {
			requireNotBlank("ai.fallback.providers." + providerKey, provider.getBaseUrl(), provider.getApiKey(),
					provider.getHeaders());
		}
		if (entry.getBaseUrl() != null || entry.getApiKey() != null) {
			pair(prefix, entry.getBaseUrl(), entry.getApiKey());
			return new EntryEndpoint(entry.getBaseUrl(), entry.getApiKey(), entry.getHeaders(),
					entry.getForwardHeaders());
		}
		if (provider != null) {
			String providerPrefix = "ai.fallback.providers." + providerKey;
			if (provider.getBaseUrl() == null && provider.getApiKey() == null) {
				throw new InvalidFallbackConfigurationException(providerPrefix + ".base-url",
						"entry '" + prefix + "' uses provider '" + providerKey
								+ "', which sets no base URL and no API key",
						"Set " + providerPrefix + ".base-url and " + providerPrefix + ".api-key (an entry that "
								+ "names a provider never falls back to spring.ai.openai.*), or set "
								+ prefix + ".base-url and " + prefix + ".api-key.");
			}
			pair(providerPrefix, provider.getBaseUrl(), provider.getApiKey());
			return new EntryEndpoint(provider.getBaseUrl(), provider.getApiKey(),
					merged(provider.getHeaders(), entry.getHeaders()),
					concat(provider.getForwardHeaders(), entry.getForwardHeaders()));
		}
		requireNotBlank("spring.ai.openai.base-url", defaultBaseUrl);
		requireNotBlank("spring.ai.openai.api-key", defaultApiKey);
		if (defaultApiKey == null) {
			String problem = (defaultBaseUrl != null)
					? "spring.ai.openai.base-url is set but spring.ai.openai.api-key is not"
					: "no base URL and API key are configured for this entry";
			throw new InvalidFallbackConfigurationException(prefix + ".api-key", problem,
					"Set " + prefix + ".base-url and " + prefix + ".api-key, or " + prefix
							+ ".provider, or spring.ai.openai.api-key (with spring.ai.openai.base-url unless the "
							+ "provider is OpenAI), preferably from an environment variable "
							+ "(api-key: ${OPENAI_API_KEY}).");
		}
		return new EntryEndpoint((defaultBaseUrl != null) ? defaultBaseUrl : ChainFactory.DEFAULT_BASE_URL,
				defaultApiKey, entry.getHeaders(), entry.getForwardHeaders());
	}

	/** A source that sets one of URL and key must set the other. */
	private static void pair(String prefix, String baseUrl, String apiKey) {
		if (apiKey == null) {
			throw new InvalidFallbackConfigurationException(prefix + ".api-key",
					prefix + ".base-url is set but " + prefix + ".api-key is not; the key of another source is "
							+ "never sent to this URL",
					"Set " + prefix + ".api-key as well (an endpoint that needs no key takes any placeholder, "
							+ "e.g. api-key: none), or remove " + prefix + ".base-url.");
		}
		if (baseUrl == null) {
			throw new InvalidFallbackConfigurationException(prefix + ".base-url",
					prefix + ".api-key is set but " + prefix + ".base-url is not; a key is only sent to the URL "
							+ "configured beside it",
					"Set " + prefix + ".base-url as well (e.g. https://api.openai.com/v1 for OpenAI, "
							+ "https://api.anthropic.com for Anthropic), or "
							+ "remove " + prefix + ".api-key.");
		}
	}

	private static void requireNotBlank(String prefix, String baseUrl, String apiKey, Map<String, String> headers) {
		requireNotBlank(prefix + ".base-url", baseUrl);
		requireNotBlank(prefix + ".api-key", apiKey);
		headers.forEach((name, value) -> requireNotBlank(prefix + ".headers." + name, value));
	}

	/** Set but empty is a mistake (often an unset ${X:}), never the same as not set. */
	private static void requireNotBlank(String property, String value) {
		if (value != null && value.isBlank()) {
			throw new InvalidFallbackConfigurationException(property, "the property is set but empty",
					"Give " + property + " a value (if it reads an environment variable, e.g. ${X:}, that "
							+ "variable is unset or empty), or remove the property.");
		}
	}

	private static Map<String, String> merged(Map<String, String> first, Map<String, String> second) {
		Map<String, String> merged = new LinkedHashMap<>(first);
		merged.putAll(second);
		return merged;
	}

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

}

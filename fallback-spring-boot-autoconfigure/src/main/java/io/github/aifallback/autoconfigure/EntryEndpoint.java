package io.github.aifallback.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Where one chain entry sends its requests, and with what: the base URL, the API key and
 * the configured headers come together from ONE source, never the URL of one and the key
 * of another.
 * <p>
 * The source is the first of these that sets a base URL or an API key: the entry itself
 * ({@code ai.fallback.chain[i].*}, or its override {@code ai.fallback.entries.<name>.*},
 * or {@code ai.fallback.defaults.*}: whichever sets any of provider, URL and key), the
 * provider it names ({@code ai.fallback.providers.<key>.*}), or, for an entry that names no
 * provider, {@code spring.ai.openai.chat.*} when it sets a URL or a key, else
 * {@code spring.ai.openai.*}. That source must set both (a URL with no key, or a key with
 * no URL, fails start-up), with one exception: {@code spring.ai.openai.api-key} alone goes
 * to OpenAI's own {@value #DEFAULT_BASE_URL}, as Spring AI does. An entry or a
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

	/** Where {@code spring.ai.openai.api-key} alone goes, as in Spring AI. */
	static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

	/**
	 * Resolve an entry's endpoint.
	 * @param prefix the prefix the entry's provider, base URL and key come from, e.g.
	 * {@code ai.fallback.chain[0]} or {@code ai.fallback.entries.primary}
	 * @param entry the entry, its overrides applied
	 * @param providerKey the key of the entry's provider, or {@code null}
	 * @param provider the entry's provider, or {@code null}
	 * @param springAi {@code spring.ai.openai.*}, or {@code null} where it does not apply
	 * @return the endpoint
	 * @throws InvalidFallbackConfigurationException naming the property to fix
	 */
	static EntryEndpoint resolve(String prefix, EntryProperties entry, String providerKey,
			ProviderProperties provider, SpringAiOpenAi springAi) {
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
		return ((springAi != null) ? springAi : SpringAiOpenAi.NONE).resolve(prefix, entry);
	}

	/**
	 * What Spring AI's OpenAI auto-configuration reads for chat: {@code spring.ai.openai.chat.*}
	 * over {@code spring.ai.openai.*} (base URL, API key, custom headers, organization id).
	 * Unlike Spring AI, the URL and the key come as a pair from one of the two prefixes, and
	 * custom headers holding a gateway token never go from {@code spring.ai.openai.*} to a
	 * URL of {@code spring.ai.openai.chat.*}.
	 *
	 * @param chatBaseUrl {@code spring.ai.openai.chat.base-url}
	 * @param chatApiKey {@code spring.ai.openai.chat.api-key}
	 * @param chatHeaders {@code spring.ai.openai.chat.custom-headers}
	 * @param chatOrganization {@code spring.ai.openai.chat.organization-id}
	 * @param baseUrl {@code spring.ai.openai.base-url}
	 * @param apiKey {@code spring.ai.openai.api-key}
	 * @param headers {@code spring.ai.openai.custom-headers}
	 * @param organization {@code spring.ai.openai.organization-id}
	 */
	record SpringAiOpenAi(String chatBaseUrl, String chatApiKey, Map<String, String> chatHeaders,
			String chatOrganization, String baseUrl, String apiKey, Map<String, String> headers,
			String organization) {

		static final SpringAiOpenAi NONE = new SpringAiOpenAi(null, null, Map.of(), null, null, null, Map.of(), null);

		private static final String CHAT = "spring.ai.openai.chat";

		private static final String COMMON = "spring.ai.openai";

		/** The header openai-java sends the organization id in. */
		static final String ORGANIZATION_HEADER = "OpenAI-Organization";

		/** Read from the environment, as Spring AI's auto-configuration binds it. */
		static SpringAiOpenAi from(Environment environment) {
			Binder binder = Binder.get(environment);
			Bindable<Map<String, String>> map = Bindable.mapOf(String.class, String.class);
			return new SpringAiOpenAi(environment.getProperty(CHAT + ".base-url"),
					environment.getProperty(CHAT + ".api-key"),
					binder.bind(CHAT + ".custom-headers", map).orElse(Map.of()),
					environment.getProperty(CHAT + ".organization-id"), environment.getProperty(COMMON + ".base-url"),
					environment.getProperty(COMMON + ".api-key"),
					binder.bind(COMMON + ".custom-headers", map).orElse(Map.of()),
					environment.getProperty(COMMON + ".organization-id"));
		}

		EntryEndpoint resolve(String prefix, EntryProperties entry) {
			requireNotBlank(CHAT, this.chatBaseUrl, this.chatApiKey, this.chatHeaders);
			requireNotBlank(COMMON, this.baseUrl, this.apiKey, this.headers);
			requireNotBlank(CHAT + ".organization-id", this.chatOrganization);
			requireNotBlank(COMMON + ".organization-id", this.organization);
			boolean chat = this.chatBaseUrl != null || this.chatApiKey != null;
			String baseUrl = chat ? this.chatBaseUrl : this.baseUrl;
			String apiKey = chat ? this.chatApiKey : this.apiKey;
			if (chat) {
				chatPair();
			}
			else if (apiKey == null) {
				String problem = (baseUrl != null)
						? "spring.ai.openai.base-url is set but spring.ai.openai.api-key is not"
						: "no base URL and API key are configured for this entry";
				throw new InvalidFallbackConfigurationException(prefix + ".api-key", problem,
						"Set " + prefix + ".base-url and " + prefix + ".api-key, or " + prefix
								+ ".provider, or spring.ai.openai.api-key (with spring.ai.openai.base-url unless the "
								+ "provider is OpenAI), preferably from an environment variable "
								+ "(api-key: ${OPENAI_API_KEY}).");
			}
			// As Spring AI: the chat prefix's headers when it has any. The common prefix's go
			// only to the common prefix's URL: they may hold a gateway's token.
			Map<String, String> headers = new LinkedHashMap<>(
					!this.chatHeaders.isEmpty() ? this.chatHeaders : chat ? Map.of() : this.headers);
			String organization = (this.chatOrganization != null) ? this.chatOrganization : this.organization;
			if (organization != null) {
				headers.putIfAbsent(ORGANIZATION_HEADER, organization);
			}
			headers.putAll(entry.getHeaders());
			return new EntryEndpoint((baseUrl != null) ? baseUrl : DEFAULT_BASE_URL, apiKey, headers,
					entry.getForwardHeaders());
		}

		/**
		 * The chat prefix sets a URL or a key: it is the pair's source. A key alone goes to
		 * OpenAI's own URL, as Spring AI's does, unless spring.ai.openai.base-url names
		 * another host: then the key of one prefix would meet the URL of the other.
		 */
		private void chatPair() {
			if (this.chatApiKey == null) {
				throw new InvalidFallbackConfigurationException(CHAT + ".api-key",
						CHAT + ".base-url is set but " + CHAT + ".api-key is not; the key of spring.ai.openai.api-key "
								+ "is never sent to another prefix's URL",
						"Set " + CHAT + ".api-key as well, or remove " + CHAT + ".base-url.");
			}
			if (this.chatBaseUrl == null && this.baseUrl != null) {
				throw new InvalidFallbackConfigurationException(CHAT + ".base-url",
						CHAT + ".api-key is set but " + CHAT + ".base-url is not, and spring.ai.openai.base-url is: "
								+ "a key is only sent to the URL configured beside it",
						"Set " + CHAT + ".base-url as well, or set spring.ai.openai.api-key instead of " + CHAT
								+ ".api-key.");
			}
		}

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
		String headersProperty = prefix.startsWith("spring.ai.") ? ".custom-headers." : ".headers.";
		headers.forEach((name, value) -> requireNotBlank(prefix + headersProperty + name, value));
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

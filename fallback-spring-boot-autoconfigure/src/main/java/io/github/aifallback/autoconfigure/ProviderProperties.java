package io.github.aifallback.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.aifallback.chat.failure.UrlRedaction;

/**
 * A provider: one OpenAI-compatible endpoint and its key.
 *
 * @since 0.1.0
 */
public class ProviderProperties {

	/**
	 * API the provider speaks: openai (any OpenAI-compatible endpoint, through
	 * spring-ai-openai) or anthropic (Anthropic's Messages API, through
	 * spring-ai-anthropic, which must then be on the classpath), or the provider() of an
	 * EntryModelFactory bean of the application. An anthropic provider needs both
	 * base-url (https://api.anthropic.com, without version path) and api-key: its
	 * entries never use spring.ai.openai.* nor the ANTHROPIC_* environment variables.
	 */
	private String type = "openai";

	/**
	 * Base URL of the provider, version path included for openai (for example
	 * https://api.openai.com/v1), without it for anthropic (https://api.anthropic.com).
	 */
	private String baseUrl;

	/**
	 * API key of the provider, sent only to its base-url. Set both, or neither.
	 */
	private String apiKey;

	/**
	 * Headers sent with every request to this provider (a gateway token, for example):
	 * by the entries that use its base URL, and by no other.
	 */
	private Map<String, String> headers = new LinkedHashMap<>();

	/**
	 * Names of the headers set per request by the application
	 * (OpenAiChatOptions.customHeaders) that the entries using this provider send on.
	 * Every other per-request header is dropped: by default, all of them.
	 */
	private List<String> forwardHeaders = new ArrayList<>();

	public String getType() {
		return this.type;
	}

	public void setType(String type) {
		this.type = type;
	}

	public Map<String, String> getHeaders() {
		return this.headers;
	}

	public void setHeaders(Map<String, String> headers) {
		this.headers = headers;
	}

	public List<String> getForwardHeaders() {
		return this.forwardHeaders;
	}

	public void setForwardHeaders(List<String> forwardHeaders) {
		this.forwardHeaders = forwardHeaders;
	}

	public String getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public String getApiKey() {
		return this.apiKey;
	}

	public void setApiKey(String apiKey) {
		this.apiKey = apiKey;
	}

	@Override
	public String toString() {
		// Never the key nor header values; the URL without user info nor query values.
		return "Provider[type=" + this.type + ", baseUrl=" + UrlRedaction.redact(this.baseUrl) + ", headers="
				+ this.headers.keySet() + "]";
	}

}

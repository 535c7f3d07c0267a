package io.github.aifallback.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.aifallback.chat.failure.UrlRedaction;

/**
 * One deployment of a chain entry: where it sends requests, with which key, and its
 * share of the traffic.
 *
 * @since 0.1.0
 */
public class DeploymentProperties {

	/**
	 * Key of ai.fallback.providers whose base URL, API key and headers this deployment
	 * uses, unless it sets base-url and api-key itself. Defaults to the entry's provider.
	 */
	private String provider;

	/**
	 * Base URL of this deployment (version path included for OpenAI-compatible APIs).
	 * Set together with api-key: a key goes only to the URL beside it.
	 */
	private String baseUrl;

	/**
	 * API key of this deployment, sent only to its base URL. Never logged nor shown.
	 */
	private String apiKey;

	/**
	 * Model id this deployment sends, when it differs from the entry's (an Azure
	 * deployment name, a regional model id).
	 */
	private String model;

	/**
	 * Share of the entry's traffic this deployment gets, relative to the others': at
	 * least 1.
	 */
	private int weight = 1;

	private boolean weightSet;

	/**
	 * Headers sent with every request of this deployment only. Their values are
	 * treated as secrets.
	 */
	private Map<String, String> headers = new LinkedHashMap<>();

	public String getProvider() {
		return this.provider;
	}

	public void setProvider(String provider) {
		this.provider = provider;
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

	public String getModel() {
		return this.model;
	}

	public void setModel(String model) {
		this.model = model;
	}

	public int getWeight() {
		return this.weight;
	}

	public void setWeight(int weight) {
		this.weight = weight;
		this.weightSet = true;
	}

	/** Whether the weight was set, not left at its default (for overrides). */
	boolean weightSet() {
		return this.weightSet;
	}

	public Map<String, String> getHeaders() {
		return this.headers;
	}

	public void setHeaders(Map<String, String> headers) {
		this.headers = headers;
	}

	@Override
	public String toString() {
		// Never the key nor header values.
		return "Deployment[provider=" + this.provider + ", baseUrl=" + UrlRedaction.redact(this.baseUrl)
				+ ", weight=" + this.weight + "]";
	}

}

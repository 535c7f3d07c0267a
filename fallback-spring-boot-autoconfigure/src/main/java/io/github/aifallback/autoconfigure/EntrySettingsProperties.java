package io.github.aifallback.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.failure.UrlRedaction;

import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The settings of a chain entry, as a chain entry sets them, as ai.fallback.entries.&lt;name&gt;
 * overrides them, or as ai.fallback.defaults gives them to every entry that does not set
 * them. Every field is unset by default.
 *
 * @since 0.1.0
 */
public class EntrySettingsProperties {

	/**
	 * Whether the entry is part of the chain. An entry disabled here is left out; a chain
	 * with no entry left fails start-up.
	 */
	private Boolean enabled;

	/**
	 * Key of the provider (under ai.fallback.providers) whose base URL and API key the
	 * entry uses unless base-url and api-key are set beside it. An entry that names a
	 * provider never uses spring.ai.openai.*. Provider, base-url and api-key come
	 * together from one place: the override, else the chain entry, else the defaults.
	 */
	private String provider;

	/**
	 * Base URL, version path included (for example https://api.openai.com/v1). Set
	 * together with api-key: URL and key come as a pair from one place, never the URL of
	 * one and the key of another.
	 */
	private String baseUrl;

	/**
	 * API key. Set together with base-url: a key is only ever sent to the URL configured
	 * beside it.
	 */
	private String apiKey;

	/**
	 * Headers sent with every request of the entry (a gateway token, for example), and to
	 * no other entry. Headers of the defaults, the chain entry and the override are
	 * merged, the override's winning.
	 */
	private Map<String, String> headers = new LinkedHashMap<>();

	/**
	 * Names of the headers set per request by the application
	 * (OpenAiChatOptions.customHeaders) that the entry sends on to its provider. Every
	 * other per-request header is dropped: by default, all of them.
	 */
	private List<String> forwardHeaders = new ArrayList<>();

	/**
	 * Timeout of one attempt on the entry. Defaults to ai.fallback.timeout.
	 */
	private Duration timeout;

	/**
	 * Attempts on the entry, the first included. Defaults to
	 * ai.fallback.retry.max-attempts.
	 */
	private Integer maxAttempts;

	/**
	 * When streaming, longest wait for the entry's first token. Defaults to
	 * ai.fallback.first-token-timeout.
	 */
	private Duration firstTokenTimeout;

	/**
	 * When streaming, longest gap between two chunks of the entry. Defaults to
	 * ai.fallback.idle-timeout.
	 */
	private Duration idleTimeout;

	/**
	 * Action per failure kind for the entry (rate-limited, server-error, bad-request...:
	 * retry, fall-back or stop), over ai.fallback.policy.
	 */
	private Map<FailureKind, FailureAction> policy = new LinkedHashMap<>();

	/**
	 * Circuit breaker of the entry, over ai.fallback.circuit-breaker.
	 */
	@NestedConfigurationProperty
	private final EntryCircuitBreakerProperties circuitBreaker = new EntryCircuitBreakerProperties();

	/**
	 * Options sent to the entry unless the caller sets them (the entry's model always
	 * wins).
	 */
	@NestedConfigurationProperty
	private final EntryOptionsProperties options = new EntryOptionsProperties();

	/**
	 * What the entry's model can do beyond text: tools, vision, json-schema. A request
	 * that needs one the entry does not list skips it, without a request. Unset: unknown,
	 * the entry is assumed able to serve any request; empty: text only.
	 */
	private List<String> capabilities;

	/**
	 * Context window of the entry's model, in tokens. A request whose estimated prompt
	 * (about four characters a token, plus a tenth) is larger skips the entry, and after
	 * a context-too-long failure the chain skips entries whose window is no larger.
	 * Unset: unknown, the entry is always tried.
	 */
	private Integer contextWindow;

	/**
	 * Attempts in flight at most on this entry; a call over it goes on to the next entry.
	 * Defaults to ai.fallback.bulkhead.max-concurrent-calls; 0: no limit.
	 */
	private Integer maxConcurrentCalls;

	public List<String> getCapabilities() {
		return this.capabilities;
	}

	public void setCapabilities(List<String> capabilities) {
		this.capabilities = capabilities;
	}

	public Integer getMaxConcurrentCalls() {
		return this.maxConcurrentCalls;
	}

	public void setMaxConcurrentCalls(Integer maxConcurrentCalls) {
		this.maxConcurrentCalls = maxConcurrentCalls;
	}

	public Integer getContextWindow() {
		return this.contextWindow;
	}

	public void setContextWindow(Integer contextWindow) {
		this.contextWindow = contextWindow;
	}

	/**
	 * Hedging of the entry: off unless hedge.delay is set.
	 */
	@NestedConfigurationProperty
	private final EntryHedgeProperties hedge = new EntryHedgeProperties();

	public Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(Boolean enabled) {
		this.enabled = enabled;
	}

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

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public Integer getMaxAttempts() {
		return this.maxAttempts;
	}

	public void setMaxAttempts(Integer maxAttempts) {
		this.maxAttempts = maxAttempts;
	}

	public Duration getFirstTokenTimeout() {
		return this.firstTokenTimeout;
	}

	public void setFirstTokenTimeout(Duration firstTokenTimeout) {
		this.firstTokenTimeout = firstTokenTimeout;
	}

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	public Map<FailureKind, FailureAction> getPolicy() {
		return this.policy;
	}

	public void setPolicy(Map<FailureKind, FailureAction> policy) {
		this.policy = policy;
	}

	public EntryCircuitBreakerProperties getCircuitBreaker() {
		return this.circuitBreaker;
	}

	public EntryOptionsProperties getOptions() {
		return this.options;
	}

	public EntryHedgeProperties getHedge() {
		return this.hedge;
	}

	@Override
	public String toString() {
		// Never the key nor header values; the URL without user info nor query values.
		return "EntrySettings[provider=" + this.provider + ", baseUrl=" + UrlRedaction.redact(this.baseUrl)
				+ ", headers=" + this.headers.keySet() + "]";
	}

}

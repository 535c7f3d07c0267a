package io.github.aifallback.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Configuration of the resilient chat client: the chain of models, the providers they use,
 * timeouts, retries and the action per failure kind.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("ai.fallback")
public class FallbackProperties {

	/**
	 * Whether the resilient chat client is auto-configured.
	 */
	private boolean enabled = true;

	/**
	 * Whether prompts may appear in logs. When false, Spring AI's OpenAiChatModel logger
	 * (which logs the prompt when a provider answers with no choices) defaults to ERROR.
	 */
	private boolean logPrompts = false;

	/**
	 * Whether the OpenAI SDK's JSON machinery is initialised in the background at start-up,
	 * so that the first call does not spend seconds loading classes inside its timeout.
	 */
	private boolean warmUp = true;

	/**
	 * Whether a key under ai.fallback that binds to no property (a typo, an environment
	 * variable spelt with dashes) fails start-up, naming the key, where it came from and the
	 * nearest valid key.
	 */
	private boolean failOnUnknownKeys = true;

	/**
	 * Most read of a successful, non-streaming response's body from an OpenAI or Anthropic
	 * entry: a larger one (a broken gateway's endless 200) fails the attempt as an invalid
	 * response instead of being read whole. Error bodies are bounded to 64KB apart.
	 */
	private org.springframework.util.unit.DataSize maxResponseSize = org.springframework.util.unit.DataSize
		.ofMegabytes(10);

	/**
	 * The models to try, in order.
	 */
	private List<EntryProperties> chain = new ArrayList<>();

	/**
	 * Overrides of chain entries' settings by entry name: a setting here wins over the
	 * entry's own (ai.fallback.entries.primary.timeout=20s, or the environment variable
	 * AI_FALLBACK_ENTRIES_PRIMARY_TIMEOUT=20s). A name no entry has fails start-up.
	 */
	private Map<String, EntryOverrideProperties> entries = new LinkedHashMap<>();

	/**
	 * Settings of every chain entry that does not set them itself (nor through
	 * ai.fallback.entries).
	 */
	@NestedConfigurationProperty
	private final EntrySettingsProperties defaults = new EntrySettingsProperties();

	/**
	 * Named providers (base URL and API key) that chain entries refer to by key.
	 */
	private Map<String, ProviderProperties> providers = new LinkedHashMap<>();

	/**
	 * Timeout of one attempt, unless an entry sets its own.
	 */
	private Duration timeout = Duration.ofSeconds(10);

	/**
	 * Limit of a whole call: every attempt and every wait included.
	 */
	private Duration deadline = Duration.ofSeconds(30);

	/**
	 * Least time left of the deadline for an attempt to start: with less, the call ends (or
	 * serves its last good answer) instead of starting an attempt that cannot finish.
	 */
	private Duration minAttemptTime = Duration.ofMillis(50);

	/**
	 * When streaming, longest wait for the first token, unless an entry sets its own.
	 */
	private Duration firstTokenTimeout = Duration.ofSeconds(10);

	/**
	 * When streaming, longest gap between two chunks, unless an entry sets its own.
	 */
	private Duration idleTimeout = Duration.ofSeconds(10);

	/**
	 * How an entry is retried before the chain falls back.
	 */
	@NestedConfigurationProperty
	private final RetryProperties retry = new RetryProperties();

	/**
	 * Whether and how a stream cut after its first token continues on the next entry.
	 */
	@NestedConfigurationProperty
	private final StreamContinuationProperties streamContinuation = new StreamContinuationProperties();

	/**
	 * What to do after each kind of failure.
	 */
	@NestedConfigurationProperty
	private final PolicyProperties policy = new PolicyProperties();

	/**
	 * The last good answers served, marked degraded, when every model fails.
	 */
	@NestedConfigurationProperty
	private final CacheProperties cache = new CacheProperties();

	/**
	 * When a failing model is skipped, and for how long.
	 */
	@NestedConfigurationProperty
	private final CircuitBreakerProperties circuitBreaker = new CircuitBreakerProperties();

	/**
	 * The hedge budget shared by the entries that set hedge.delay.
	 */
	@NestedConfigurationProperty
	private final HedgeProperties hedge = new HedgeProperties();

	/**
	 * Panic mode: what the chain does when most of its circuits are open on inferred
	 * evidence.
	 */
	@NestedConfigurationProperty
	private final PanicProperties panic = new PanicProperties();

	/**
	 * Every entry's concurrency limit (a bulkhead); an entry's own max-concurrent-calls
	 * overrides it.
	 */
	@NestedConfigurationProperty
	private final BulkheadProperties bulkhead = new BulkheadProperties();

	/**
	 * Time an entry leaves to the entries after it (deadline budgeting): its attempts,
	 * retries and first-token waits never take more of the call's remaining time than leaves
	 * this much, when a later entry could serve. Defaults to a third of the deadline; 0 turns
	 * it off.
	 */
	private Duration fallbackFloor;

	/**
	 * The live dashboard page, served by the application itself.
	 */
	@NestedConfigurationProperty
	private final DashboardProperties dashboard = new DashboardProperties();

	/**
	 * How the rate-limit headers that providers send on success steer traffic between
	 * deployments.
	 */
	@NestedConfigurationProperty
	private final RateLimitProperties rateLimit = new RateLimitProperties();

	public RateLimitProperties getRateLimit() {
		return this.rateLimit;
	}

	/**
	 * Circuit state shared by every instance over the application's Redis.
	 */
	@NestedConfigurationProperty
	private final FleetProperties fleet = new FleetProperties();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isLogPrompts() {
		return this.logPrompts;
	}

	public void setLogPrompts(boolean logPrompts) {
		this.logPrompts = logPrompts;
	}

	public org.springframework.util.unit.DataSize getMaxResponseSize() {
		return this.maxResponseSize;
	}

	public void setMaxResponseSize(org.springframework.util.unit.DataSize maxResponseSize) {
		this.maxResponseSize = maxResponseSize;
	}

	public boolean isFailOnUnknownKeys() {
		return this.failOnUnknownKeys;
	}

	public void setFailOnUnknownKeys(boolean failOnUnknownKeys) {
		this.failOnUnknownKeys = failOnUnknownKeys;
	}

	public boolean isWarmUp() {
		return this.warmUp;
	}

	public void setWarmUp(boolean warmUp) {
		this.warmUp = warmUp;
	}

	public List<EntryProperties> getChain() {
		return this.chain;
	}

	public void setChain(List<EntryProperties> chain) {
		this.chain = chain;
	}

	public Map<String, EntryOverrideProperties> getEntries() {
		return this.entries;
	}

	public void setEntries(Map<String, EntryOverrideProperties> entries) {
		this.entries = entries;
	}

	public EntrySettingsProperties getDefaults() {
		return this.defaults;
	}

	public Map<String, ProviderProperties> getProviders() {
		return this.providers;
	}

	public void setProviders(Map<String, ProviderProperties> providers) {
		this.providers = providers;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public Duration getDeadline() {
		return this.deadline;
	}

	public void setDeadline(Duration deadline) {
		this.deadline = deadline;
	}

	public Duration getFirstTokenTimeout() {
		return this.firstTokenTimeout;
	}

	public void setFirstTokenTimeout(Duration firstTokenTimeout) {
		this.firstTokenTimeout = firstTokenTimeout;
	}

	public Duration getMinAttemptTime() {
		return this.minAttemptTime;
	}

	public void setMinAttemptTime(Duration minAttemptTime) {
		this.minAttemptTime = minAttemptTime;
	}

	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public void setIdleTimeout(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
	}

	public RetryProperties getRetry() {
		return this.retry;
	}

	public PolicyProperties getPolicy() {
		return this.policy;
	}

	public StreamContinuationProperties getStreamContinuation() {
		return this.streamContinuation;
	}

	public CacheProperties getCache() {
		return this.cache;
	}

	public CircuitBreakerProperties getCircuitBreaker() {
		return this.circuitBreaker;
	}

	public DashboardProperties getDashboard() {
		return this.dashboard;
	}

	public FleetProperties getFleet() {
		return this.fleet;
	}

	public PanicProperties getPanic() {
		return this.panic;
	}

	public BulkheadProperties getBulkhead() {
		return this.bulkhead;
	}

	public Duration getFallbackFloor() {
		return this.fallbackFloor;
	}

	public void setFallbackFloor(Duration fallbackFloor) {
		this.fallbackFloor = fallbackFloor;
	}

	public HedgeProperties getHedge() {
		return this.hedge;
	}

}

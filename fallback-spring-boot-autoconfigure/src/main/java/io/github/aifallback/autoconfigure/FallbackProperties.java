package io.github.aifallback.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.aifallback.chat.FailureAction;
import io.github.aifallback.chat.FailureKind;
import io.github.aifallback.chat.UrlRedaction;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;

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
	private List<Entry> chain = new ArrayList<>();

	/**
	 * Overrides of chain entries' settings by entry name: a setting here wins over the
	 * entry's own (ai.fallback.entries.primary.timeout=20s, or the environment variable
	 * AI_FALLBACK_ENTRIES_PRIMARY_TIMEOUT=20s). A name no entry has fails start-up.
	 */
	private Map<String, EntryOverride> entries = new LinkedHashMap<>();

	/**
	 * Settings of every chain entry that does not set them itself (nor through
	 * ai.fallback.entries).
	 */
	private final EntrySettings defaults = new EntrySettings();

	/**
	 * Named providers (base URL and API key) that chain entries refer to by key.
	 */
	private Map<String, Provider> providers = new LinkedHashMap<>();

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
	private final Retry retry = new Retry();

	/**
	 * Whether and how a stream cut after its first token continues on the next entry.
	 */
	private final StreamContinuation streamContinuation = new StreamContinuation();

	/**
	 * What to do after each kind of failure.
	 */
	private final Policy policy = new Policy();

	/**
	 * The last good answers served, marked degraded, when every model fails.
	 */
	private final Cache cache = new Cache();

	/**
	 * When a failing model is skipped, and for how long.
	 */
	private final CircuitBreaker circuitBreaker = new CircuitBreaker();

	/**
	 * The hedge budget shared by the entries that set hedge.delay.
	 */
	private final Hedge hedge = new Hedge();

	/**
	 * Panic mode: what the chain does when most of its circuits are open on inferred
	 * evidence.
	 */
	private final Panic panic = new Panic();

	/**
	 * Every entry's concurrency limit (a bulkhead); an entry's own max-concurrent-calls
	 * overrides it.
	 */
	private final Bulkhead bulkhead = new Bulkhead();

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
	private final Dashboard dashboard = new Dashboard();

	/**
	 * How the rate-limit headers that providers send on success steer traffic between
	 * deployments.
	 */
	private final RateLimit rateLimit = new RateLimit();

	public RateLimit getRateLimit() {
		return this.rateLimit;
	}

	/**
	 * Circuit state shared by every instance over the application's Redis.
	 */
	private final Fleet fleet = new Fleet();

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

	public List<Entry> getChain() {
		return this.chain;
	}

	public void setChain(List<Entry> chain) {
		this.chain = chain;
	}

	public Map<String, EntryOverride> getEntries() {
		return this.entries;
	}

	public void setEntries(Map<String, EntryOverride> entries) {
		this.entries = entries;
	}

	public EntrySettings getDefaults() {
		return this.defaults;
	}

	public Map<String, Provider> getProviders() {
		return this.providers;
	}

	public void setProviders(Map<String, Provider> providers) {
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

	public Retry getRetry() {
		return this.retry;
	}

	public Policy getPolicy() {
		return this.policy;
	}

	public StreamContinuation getStreamContinuation() {
		return this.streamContinuation;
	}

	public Cache getCache() {
		return this.cache;
	}

	public CircuitBreaker getCircuitBreaker() {
		return this.circuitBreaker;
	}

	public Dashboard getDashboard() {
		return this.dashboard;
	}

	public Fleet getFleet() {
		return this.fleet;
	}

	public Panic getPanic() {
		return this.panic;
	}

	public Bulkhead getBulkhead() {
		return this.bulkhead;
	}

	public Duration getFallbackFloor() {
		return this.fallbackFloor;
	}

	public void setFallbackFloor(Duration fallbackFloor) {
		this.fallbackFloor = fallbackFloor;
	}

	public Hedge getHedge() {
		return this.hedge;
	}

	/**
	 * How many hedges the chain may start: a hedge is one extra request, so their share of
	 * the requests is capped.
	 *
	 * @since 0.1.0
	 */
	public static class Hedge {

		/**
		 * Extra requests hedges may add, as a share of the requests to hedged entries over a
		 * sliding 10-second window (0 to 1). When spent, slow attempts are not hedged.
		 */
		private double budget = 0.1;

		/**
		 * Hedges allowed per second whatever the share, so that a quiet application can still
		 * hedge (0 for none beyond the share).
		 */
		private int minPerSecond = 1;

		public double getBudget() {
			return this.budget;
		}

		public void setBudget(double budget) {
			this.budget = budget;
		}

		public int getMinPerSecond() {
			return this.minPerSecond;
		}

		public void setMinPerSecond(int minPerSecond) {
			this.minPerSecond = minPerSecond;
		}

	}

	/**
	 * Panic mode, after Envoy's panic threshold.
	 *
	 * @since 0.1.0
	 */
	public static class Panic {

		/**
		 * Whether a call that every entry refused is still sent, once, to the entry most likely
		 * to answer, when the share of entries in rotation falls below the threshold because
		 * the others are out on inferred evidence (timeouts, connection and server errors)
		 * rather than the provider's explicit word.
		 */
		private boolean enabled = true;

		/**
		 * Share of the entries, in percent, still in rotation below which the chain panics
		 * (Envoy's panic threshold). Entries out on explicit evidence do not count.
		 */
		private float threshold = 50;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public float getThreshold() {
			return this.threshold;
		}

		public void setThreshold(float threshold) {
			this.threshold = threshold;
		}

	}

	/**
	 * A per-entry concurrency limit, after Resilience4j's bulkhead.
	 *
	 * @since 0.1.0
	 */
	public static class Bulkhead {

		/**
		 * Attempts in flight at most on each entry; a call over it goes on to the next entry
		 * without counting against the entry's circuit. 0: no limit.
		 */
		private int maxConcurrentCalls = 0;

		/**
		 * How long a blocking call may wait for a place before it goes on (within its
		 * deadline); streams never wait.
		 */
		private Duration maxWaitDuration = Duration.ZERO;

		public int getMaxConcurrentCalls() {
			return this.maxConcurrentCalls;
		}

		public void setMaxConcurrentCalls(int maxConcurrentCalls) {
			this.maxConcurrentCalls = maxConcurrentCalls;
		}

		public Duration getMaxWaitDuration() {
			return this.maxWaitDuration;
		}

		public void setMaxWaitDuration(Duration maxWaitDuration) {
			this.maxWaitDuration = maxWaitDuration;
		}

	}

	/**
	 * Circuit breaker of each chain entry: Resilience4j's sliding window, evidence, slow start.
	 */
	public static class CircuitBreaker {

		/**
		 * Consecutive failures that say the model is unwell (timeouts, connection, 5xx, rate
		 * limit) after which the entry is skipped, whatever the window says; 0 turns this rule off
		 * (the default: a short burst of our own overload must not open healthy circuits).
		 */
		private int failureThreshold = 0;

		/**
		 * How long an entry is first skipped; then the permitted half-open calls are let through.
		 */
		private Duration openDuration = Duration.ofSeconds(30);

		/**
		 * Longest an entry is skipped: a half-open period that fails on the provider's own
		 * evidence (not a timeout) doubles the last period, up to this; a Retry-After is capped
		 * by it too.
		 */
		private Duration maxOpenDuration = Duration.ofMinutes(5);

		/**
		 * How the window of recent calls is kept: the last N calls, or the calls of the last N
		 * seconds.
		 */
		private CircuitBreakerSettings.SlidingWindowType slidingWindowType = CircuitBreakerSettings.SlidingWindowType.COUNT_BASED;

		/**
		 * Size of the window: calls, or seconds when time-based.
		 */
		private int slidingWindowSize = 20;

		/**
		 * Calls the window must hold before its failure and slow-call rates can open the
		 * circuit.
		 */
		private int minimumNumberOfCalls = 10;

		/**
		 * Failure rate, in percent, of the calls in the window at or above which the circuit
		 * opens.
		 */
		private float failureRateThreshold = 50;

		/**
		 * Rate of slow calls, in percent, at or above which the circuit opens (100: only when
		 * every call in the window is slow).
		 */
		private float slowCallRateThreshold = 100;

		/**
		 * How long a successful call takes to count as slow.
		 */
		private Duration slowCallDurationThreshold = Duration.ofSeconds(60);

		/**
		 * Calls let through once the open period ends; their outcomes close or reopen the
		 * circuit.
		 */
		private int permittedNumberOfCallsInHalfOpenState = 3;

		/**
		 * How long a circuit that just closed takes to admit every call offered to it (from 10%
		 * up, a ramp); 0 admits them all at once.
		 */
		private Duration slowStart = Duration.ofSeconds(30);

		public int getFailureThreshold() {
			return this.failureThreshold;
		}

		public void setFailureThreshold(int failureThreshold) {
			this.failureThreshold = failureThreshold;
		}

		public Duration getOpenDuration() {
			return this.openDuration;
		}

		public void setOpenDuration(Duration openDuration) {
			this.openDuration = openDuration;
		}

		public Duration getMaxOpenDuration() {
			return this.maxOpenDuration;
		}

		public void setMaxOpenDuration(Duration maxOpenDuration) {
			this.maxOpenDuration = maxOpenDuration;
		}

		public CircuitBreakerSettings.SlidingWindowType getSlidingWindowType() {
			return this.slidingWindowType;
		}

		public void setSlidingWindowType(CircuitBreakerSettings.SlidingWindowType slidingWindowType) {
			this.slidingWindowType = slidingWindowType;
		}

		public int getSlidingWindowSize() {
			return this.slidingWindowSize;
		}

		public void setSlidingWindowSize(int slidingWindowSize) {
			this.slidingWindowSize = slidingWindowSize;
		}

		public int getMinimumNumberOfCalls() {
			return this.minimumNumberOfCalls;
		}

		public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
			this.minimumNumberOfCalls = minimumNumberOfCalls;
		}

		public float getFailureRateThreshold() {
			return this.failureRateThreshold;
		}

		public void setFailureRateThreshold(float failureRateThreshold) {
			this.failureRateThreshold = failureRateThreshold;
		}

		public float getSlowCallRateThreshold() {
			return this.slowCallRateThreshold;
		}

		public void setSlowCallRateThreshold(float slowCallRateThreshold) {
			this.slowCallRateThreshold = slowCallRateThreshold;
		}

		public Duration getSlowCallDurationThreshold() {
			return this.slowCallDurationThreshold;
		}

		public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
			this.slowCallDurationThreshold = slowCallDurationThreshold;
		}

		public int getPermittedNumberOfCallsInHalfOpenState() {
			return this.permittedNumberOfCallsInHalfOpenState;
		}

		public void setPermittedNumberOfCallsInHalfOpenState(int permittedNumberOfCallsInHalfOpenState) {
			this.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState;
		}

		public Duration getSlowStart() {
			return this.slowStart;
		}

		public void setSlowStart(Duration slowStart) {
			this.slowStart = slowStart;
		}

	}

	/**
	 * Last good answers: kept per request, served when the whole chain fails.
	 */
	public static class Cache {

		/**
		 * Whether each request's last good answer is kept and served, marked degraded, when
		 * every model fails.
		 */
		private boolean enabled = true;

		/**
		 * Oldest answer that may be served.
		 */
		private Duration ttl = Duration.ofHours(1);

		/**
		 * Most answers kept by the starter's own Caffeine cache (ignored with
		 * use-cache-manager).
		 */
		private long maxSize = 10_000;

		/**
		 * Most memory, approximately, that the answers kept by the starter's own Caffeine
		 * cache may take (ignored with use-cache-manager). Bounds the cache together with
		 * max-size: whichever is reached first evicts.
		 */
		private org.springframework.util.unit.DataSize maxWeight = org.springframework.util.unit.DataSize
			.ofMegabytes(64);

		/**
		 * Name of the cache that holds the answers.
		 */
		private String name = "ai-fallback-last-good";

		/**
		 * Secret, at least 32 bytes, with which the keys of a shared cache (use-cache-manager)
		 * are hashed (HMAC-SHA256), so that a reader of the cache cannot tell whether a given
		 * prompt was asked, and with which the answers themselves are signed, so that a writer
		 * to the cache without the secret cannot have an answer of its own served. Every
		 * instance that should share answers needs the same secret. Required with
		 * use-cache-manager: start-up fails without it.
		 */
		private String keySecret;

		/**
		 * Whether answers are kept in the application's own CacheManager (Redis, for
		 * example, to share them across instances) instead of the starter's bounded
		 * Caffeine cache.
		 */
		private boolean useCacheManager = false;

		/**
		 * Fixed answer served, marked degraded, when every model fails and no last good
		 * answer exists for the request. Unset: the call fails with AllModelsFailedException.
		 */
		private String degradedMessage;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

		public long getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(long maxSize) {
			this.maxSize = maxSize;
		}

		public org.springframework.util.unit.DataSize getMaxWeight() {
			return this.maxWeight;
		}

		public void setMaxWeight(org.springframework.util.unit.DataSize maxWeight) {
			this.maxWeight = maxWeight;
		}

		public String getKeySecret() {
			return this.keySecret;
		}

		public void setKeySecret(String keySecret) {
			this.keySecret = keySecret;
		}

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public boolean isUseCacheManager() {
			return this.useCacheManager;
		}

		public void setUseCacheManager(boolean useCacheManager) {
			this.useCacheManager = useCacheManager;
		}

		public String getDegradedMessage() {
			return this.degradedMessage;
		}

		public void setDegradedMessage(String degradedMessage) {
			this.degradedMessage = degradedMessage;
		}

	}

	/**
	 * One model of the chain: what it is (model, chat-model, name) and its settings.
	 */
	public static class Entry extends EntrySettings {

		/**
		 * Model id sent to the provider. Required, except on an entry with chat-model, where
		 * it replaces that bean's default model when set.
		 */
		private String model;

		/**
		 * Name of a Spring AI ChatModel bean (ollamaChatModel, for example) that serves this
		 * entry instead of an OpenAI-compatible endpoint: the bean keeps its own base URL and
		 * key, so base-url, api-key, provider and headers cannot be set with it. The entry's
		 * name defaults to the bean name. Turn the bean's own retries off (for Spring AI's
		 * models, spring.ai.retry.max-attempts=0): the chain retries.
		 */
		private String chatModel;

		/**
		 * Label of the entry in logs, response metadata, health and metrics, and its key
		 * under ai.fallback.entries. Defaults to the model id.
		 */
		private String name;

		/**
		 * Several deployments (keys, regions) of this entry's model, picked by weight, each
		 * with its own circuit breaker: a rate limit or exhausted quota on one moves the same
		 * attempt on to the next deployment before the chain falls back. Each deployment
		 * sets base-url and api-key, or a provider; the entry itself then sets neither.
		 */
		private List<Deployment> deployments = new ArrayList<>();

		public List<Deployment> getDeployments() {
			return this.deployments;
		}

		public void setDeployments(List<Deployment> deployments) {
			this.deployments = deployments;
		}

		public String getChatModel() {
			return this.chatModel;
		}

		public void setChatModel(String chatModel) {
			this.chatModel = chatModel;
		}

		public String getModel() {
			return this.model;
		}

		public void setModel(String model) {
			this.model = model;
		}

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		@Override
		public String toString() {
			// Never the key nor header values; the URL without user info nor query values.
			return "Entry[model=" + this.model + ", name=" + this.name + ", provider=" + getProvider() + ", baseUrl="
					+ UrlRedaction.redact(getBaseUrl()) + ", headers=" + getHeaders().keySet() + "]";
		}

	}

	/**
	 * An override of a chain entry by name: its settings, and its deployments.
	 *
	 * @since 0.1.0
	 */
	public static class EntryOverride extends EntrySettings {

		/**
		 * Changes to the chain entry's deployments, by index: what deployments[j] sets here
		 * wins over what the chain entry's deployments[j] sets (a key rotated at deploy time:
		 * AI_FALLBACK_ENTRIES_PRIMARY_DEPLOYMENTS_0_APIKEY). Adds no deployment.
		 */
		private Map<Integer, Deployment> deployments = new LinkedHashMap<>();

		public Map<Integer, Deployment> getDeployments() {
			return this.deployments;
		}

		public void setDeployments(Map<Integer, Deployment> deployments) {
			this.deployments = deployments;
		}

	}

	/**
	 * The settings of a chain entry, as a chain entry sets them, as ai.fallback.entries.&lt;name&gt;
	 * overrides them, or as ai.fallback.defaults gives them to every entry that does not set
	 * them. Every field is unset by default.
	 *
	 * @since 0.1.0
	 */
	public static class EntrySettings {

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
		private final EntryCircuitBreaker circuitBreaker = new EntryCircuitBreaker();

		/**
		 * Options sent to the entry unless the caller sets them (the entry's model always
		 * wins).
		 */
		private final EntryOptions options = new EntryOptions();

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
		private final EntryHedge hedge = new EntryHedge();

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

		public EntryCircuitBreaker getCircuitBreaker() {
			return this.circuitBreaker;
		}

		public EntryOptions getOptions() {
			return this.options;
		}

		public EntryHedge getHedge() {
			return this.hedge;
		}

		@Override
		public String toString() {
			// Never the key nor header values; the URL without user info nor query values.
			return "EntrySettings[provider=" + this.provider + ", baseUrl=" + UrlRedaction.redact(this.baseUrl)
					+ ", headers=" + this.headers.keySet() + "]";
		}

	}

	/**
	 * Circuit breaker settings of one entry; unset ones come from
	 * ai.fallback.circuit-breaker.
	 *
	 * @since 0.1.0
	 */
	public static class EntryCircuitBreaker {

		/**
		 * Consecutive failures after which the entry is skipped (0: off). Defaults to
		 * ai.fallback.circuit-breaker.failure-threshold.
		 */
		private Integer failureThreshold;

		/**
		 * How long the entry is first skipped. Defaults to
		 * ai.fallback.circuit-breaker.open-duration.
		 */
		private Duration openDuration;

		/**
		 * Longest the entry is skipped. Defaults to
		 * ai.fallback.circuit-breaker.max-open-duration.
		 */
		private Duration maxOpenDuration;

		/**
		 * Calls the window must hold before its rates count. Defaults to
		 * ai.fallback.circuit-breaker.minimum-number-of-calls.
		 */
		private Integer minimumNumberOfCalls;

		/**
		 * Failure rate, in percent, that opens the circuit. Defaults to
		 * ai.fallback.circuit-breaker.failure-rate-threshold.
		 */
		private Float failureRateThreshold;

		/**
		 * Rate of slow calls, in percent, that opens the circuit. Defaults to
		 * ai.fallback.circuit-breaker.slow-call-rate-threshold.
		 */
		private Float slowCallRateThreshold;

		/**
		 * How long a successful call takes to count as slow. Defaults to
		 * ai.fallback.circuit-breaker.slow-call-duration-threshold.
		 */
		private Duration slowCallDurationThreshold;

		/**
		 * How long the entry takes to get all its traffic back after its circuit closes.
		 * Defaults to ai.fallback.circuit-breaker.slow-start.
		 */
		private Duration slowStart;

		public Integer getFailureThreshold() {
			return this.failureThreshold;
		}

		public void setFailureThreshold(Integer failureThreshold) {
			this.failureThreshold = failureThreshold;
		}

		public Duration getOpenDuration() {
			return this.openDuration;
		}

		public void setOpenDuration(Duration openDuration) {
			this.openDuration = openDuration;
		}

		public Duration getMaxOpenDuration() {
			return this.maxOpenDuration;
		}

		public void setMaxOpenDuration(Duration maxOpenDuration) {
			this.maxOpenDuration = maxOpenDuration;
		}

		public Integer getMinimumNumberOfCalls() {
			return this.minimumNumberOfCalls;
		}

		public void setMinimumNumberOfCalls(Integer minimumNumberOfCalls) {
			this.minimumNumberOfCalls = minimumNumberOfCalls;
		}

		public Float getFailureRateThreshold() {
			return this.failureRateThreshold;
		}

		public void setFailureRateThreshold(Float failureRateThreshold) {
			this.failureRateThreshold = failureRateThreshold;
		}

		public Float getSlowCallRateThreshold() {
			return this.slowCallRateThreshold;
		}

		public void setSlowCallRateThreshold(Float slowCallRateThreshold) {
			this.slowCallRateThreshold = slowCallRateThreshold;
		}

		public Duration getSlowCallDurationThreshold() {
			return this.slowCallDurationThreshold;
		}

		public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
			this.slowCallDurationThreshold = slowCallDurationThreshold;
		}

		public Duration getSlowStart() {
			return this.slowStart;
		}

		public void setSlowStart(Duration slowStart) {
			this.slowStart = slowStart;
		}

	}

	/**
	 * Hedging of one entry: when its attempt has not answered (or, streaming, sent its first
	 * token) after the delay, the next entry starts in parallel and the first answer wins.
	 *
	 * @since 0.1.0
	 */
	public static class EntryHedge {

		/**
		 * How long the entry's attempt runs alone before the next entry is started in
		 * parallel; unset (the default) never hedges the entry. With use-observed-p95, the
		 * floor of the delay and the delay until enough answers were seen.
		 */
		private Duration delay;

		/**
		 * Whether to hedge after the entry's observed p95 latency of recent successful
		 * answers (never less than hedge.delay) instead of after hedge.delay.
		 */
		private Boolean useObservedP95;

		public Duration getDelay() {
			return this.delay;
		}

		public void setDelay(Duration delay) {
			this.delay = delay;
		}

		public Boolean getUseObservedP95() {
			return this.useObservedP95;
		}

		public void setUseObservedP95(Boolean useObservedP95) {
			this.useObservedP95 = useObservedP95;
		}

	}

	/**
	 * Default options of one entry's requests: the caller's own options win.
	 *
	 * @since 0.1.0
	 */
	public static class EntryOptions {

		/**
		 * Sampling temperature sent to the entry when the caller sets none.
		 */
		private Double temperature;

		/**
		 * Most tokens the entry may generate, sent when the caller sets none.
		 */
		private Integer maxTokens;

		/**
		 * Nucleus sampling (top-p) sent to the entry when the caller sets none.
		 */
		private Double topP;

		public Double getTemperature() {
			return this.temperature;
		}

		public void setTemperature(Double temperature) {
			this.temperature = temperature;
		}

		public Integer getMaxTokens() {
			return this.maxTokens;
		}

		public void setMaxTokens(Integer maxTokens) {
			this.maxTokens = maxTokens;
		}

		public Double getTopP() {
			return this.topP;
		}

		public void setTopP(Double topP) {
			this.topP = topP;
		}

		boolean isEmpty() {
			return this.temperature == null && this.maxTokens == null && this.topP == null;
		}

	}

	/**
	 * A provider: one OpenAI-compatible endpoint and its key.
	 */
	public static class Provider {

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

	/**
	 * Retry of one entry with exponential backoff.
	 */
	public static class Retry {

		/**
		 * Attempts per entry, the first included.
		 */
		private int maxAttempts = 3;

		/**
		 * Wait before the first retry.
		 */
		private Duration initialInterval = Duration.ofMillis(500);

		/**
		 * Factor by which the wait grows from one retry to the next.
		 */
		private double multiplier = 2.0;

		/**
		 * Longest wait between two attempts. A Retry-After longer than this means the entry
		 * is not retried: the chain falls back at once.
		 */
		private Duration maxInterval = Duration.ofSeconds(10);

		/**
		 * Whether waits are randomised (between half and all of the computed wait), so that
		 * many clients do not retry in step.
		 */
		private boolean jitter = true;

		/**
		 * Whether a provider's Retry-After (or retry-after-ms) replaces a shorter computed
		 * wait.
		 */
		private boolean honorRetryAfter = true;

		/**
		 * Attempts across the whole chain for one call.
		 */
		private int maxTotalAttempts = 8;

		/**
		 * How far retries may add to each entry's load, across all calls.
		 */
		private final Budget budget = new Budget();

		public Budget getBudget() {
			return this.budget;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			this.initialInterval = initialInterval;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = maxInterval;
		}

		public boolean isJitter() {
			return this.jitter;
		}

		public void setJitter(boolean jitter) {
			this.jitter = jitter;
		}

		public boolean isHonorRetryAfter() {
			return this.honorRetryAfter;
		}

		public void setHonorRetryAfter(boolean honorRetryAfter) {
			this.honorRetryAfter = honorRetryAfter;
		}

		public int getMaxTotalAttempts() {
			return this.maxTotalAttempts;
		}

		public void setMaxTotalAttempts(int maxTotalAttempts) {
			this.maxTotalAttempts = maxTotalAttempts;
		}

	}

	/**
	 * The retry budget of each entry: over a sliding window, retries may add at most a share
	 * of the calls that reached the entry, so that an outage does not multiply the load on
	 * a provider that is already struggling.
	 *
	 * @since 0.1.0
	 */
	public static class Budget {

		/**
		 * Whether each entry's retries are budgeted. When an entry's budget is spent, a
		 * failure that would be retried falls back instead.
		 */
		private boolean enabled = true;

		/**
		 * Retries allowed per call that reached the entry within the window, between 0 and 1
		 * (0.2: retries add at most 20% to the entry's requests).
		 */
		private double ratio = 0.2;

		/**
		 * Sliding window over which calls and retries are counted.
		 */
		private Duration window = Duration.ofSeconds(10);

		/**
		 * Retries per second of the window always allowed, whatever the traffic, so that an
		 * entry with few calls can still retry (3 over a 10s window: 30 retries).
		 */
		private double minRetriesPerSecond = 3;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public double getRatio() {
			return this.ratio;
		}

		public void setRatio(double ratio) {
			this.ratio = ratio;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

		public double getMinRetriesPerSecond() {
			return this.minRetriesPerSecond;
		}

		public void setMinRetriesPerSecond(double minRetriesPerSecond) {
			this.minRetriesPerSecond = minRetriesPerSecond;
		}

	}

	/**
	 * Stream continuation: a stream cut after its first token goes on on the next entry,
	 * which is sent the prompt, the partial answer as an assistant message and a user
	 * message asking it to continue. Never when a tool call was in flight or only whitespace
	 * had come. Unsafe for answers that must be byte-exact, such as JSON: the seam may
	 * repeat or drop words.
	 *
	 * @since 0.1.0
	 */
	public static class StreamContinuation {

		/**
		 * Whether a stream cut after its first token continues on the next entry instead of
		 * ending with StreamInterruptedException.
		 */
		private boolean enabled = false;

		/**
		 * User message that asks the next entry to continue the cut answer.
		 */
		private String instruction = "Continue exactly where your previous answer stopped. Do not repeat anything.";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getInstruction() {
			return this.instruction;
		}

		public void setInstruction(String instruction) {
			this.instruction = instruction;
		}

	}

	/**
	 * Action (retry, fall-back or stop) per kind of failure.
	 */
	public static class Policy {

		/**
		 * Action after HTTP 429 that is not about quota.
		 */
		private FailureAction rateLimited = FailureAction.RETRY;

		/**
		 * Action after HTTP 429 insufficient_quota and similar codes.
		 */
		private FailureAction quotaExhausted = FailureAction.FALL_BACK;

		/**
		 * Action after HTTP 5xx (529 included).
		 */
		private FailureAction serverError = FailureAction.RETRY;

		/**
		 * Action after an attempt timed out.
		 */
		private FailureAction timeout = FailureAction.RETRY;

		/**
		 * Action after a refused, reset or broken connection.
		 */
		private FailureAction connection = FailureAction.RETRY;

		/**
		 * Action after an unusable answer (unparseable body, no choices, empty content).
		 */
		private FailureAction invalidResponse = FailureAction.FALL_BACK;

		/**
		 * Action after HTTP 400 context_length_exceeded (or 413).
		 */
		private FailureAction contextTooLong = FailureAction.FALL_BACK;

		/**
		 * Action after HTTP 401 or 403.
		 */
		private FailureAction auth = FailureAction.FALL_BACK;

		/**
		 * Action after HTTP 404.
		 */
		private FailureAction modelNotFound = FailureAction.FALL_BACK;

		/**
		 * Action after any other HTTP 400 or 422.
		 */
		private FailureAction badRequest = FailureAction.FALL_BACK;

		/**
		 * Action after an HTTP 200 whose answer is a refusal (the message's refusal set,
		 * finish reason content_filter, or Anthropic's refusal stop reason). Never opens a
		 * circuit.
		 */
		private FailureAction refused = FailureAction.FALL_BACK;

		public FailureAction getRefused() {
			return this.refused;
		}

		public void setRefused(FailureAction refused) {
			this.refused = refused;
		}

		public FailureAction getRateLimited() {
			return this.rateLimited;
		}

		public void setRateLimited(FailureAction rateLimited) {
			this.rateLimited = rateLimited;
		}

		public FailureAction getQuotaExhausted() {
			return this.quotaExhausted;
		}

		public void setQuotaExhausted(FailureAction quotaExhausted) {
			this.quotaExhausted = quotaExhausted;
		}

		public FailureAction getServerError() {
			return this.serverError;
		}

		public void setServerError(FailureAction serverError) {
			this.serverError = serverError;
		}

		public FailureAction getTimeout() {
			return this.timeout;
		}

		public void setTimeout(FailureAction timeout) {
			this.timeout = timeout;
		}

		public FailureAction getConnection() {
			return this.connection;
		}

		public void setConnection(FailureAction connection) {
			this.connection = connection;
		}

		public FailureAction getInvalidResponse() {
			return this.invalidResponse;
		}

		public void setInvalidResponse(FailureAction invalidResponse) {
			this.invalidResponse = invalidResponse;
		}

		public FailureAction getContextTooLong() {
			return this.contextTooLong;
		}

		public void setContextTooLong(FailureAction contextTooLong) {
			this.contextTooLong = contextTooLong;
		}

		public FailureAction getAuth() {
			return this.auth;
		}

		public void setAuth(FailureAction auth) {
			this.auth = auth;
		}

		public FailureAction getModelNotFound() {
			return this.modelNotFound;
		}

		public void setModelNotFound(FailureAction modelNotFound) {
			this.modelNotFound = modelNotFound;
		}

		public FailureAction getBadRequest() {
			return this.badRequest;
		}

		public void setBadRequest(FailureAction badRequest) {
			this.badRequest = badRequest;
		}

	}

	/**
	 * One deployment of a chain entry: where it sends requests, with which key, and its
	 * share of the traffic.
	 *
	 * @since 0.1.0
	 */
	public static class Deployment {

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

	/**
	 * Rate-limit awareness: what the providers' success headers (x-ratelimit-*,
	 * anthropic-ratelimit-*) change.
	 *
	 * @since 0.1.0
	 */
	public static class RateLimit {

		/**
		 * Whether deployments read the rate-limit headers of their successful responses and
		 * are avoided, until the window resets, once they report too few requests or tokens
		 * left.
		 */
		private boolean enabled = true;

		/**
		 * A deployment reporting this many requests left, or fewer, is avoided until its
		 * requests' window resets. 0: only when nothing is left.
		 */
		private long minRemainingRequests = 0;

		/**
		 * A deployment reporting this many tokens left, or fewer, is avoided until its
		 * tokens' window resets. 0: only when nothing is left.
		 */
		private long minRemainingTokens = 0;

		/**
		 * The longest a reported reset is believed: a deployment is never avoided for longer
		 * on the strength of one header.
		 */
		private Duration maxWait = Duration.ofMinutes(5);

		/**
		 * Whether entries without deployments read the headers too, and are skipped, as an
		 * open circuit is (the call goes to the next entry), while their provider reports no
		 * requests or tokens left: no request is sent and no failure is recorded. Off by
		 * default: the entry is then only left on an actual 429.
		 */
		private boolean skipEntries = false;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public long getMinRemainingRequests() {
			return this.minRemainingRequests;
		}

		public void setMinRemainingRequests(long minRemainingRequests) {
			this.minRemainingRequests = minRemainingRequests;
		}

		public long getMinRemainingTokens() {
			return this.minRemainingTokens;
		}

		public void setMinRemainingTokens(long minRemainingTokens) {
			this.minRemainingTokens = minRemainingTokens;
		}

		public Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(Duration maxWait) {
			this.maxWait = maxWait;
		}

		public boolean isSkipEntries() {
			return this.skipEntries;
		}

		public void setSkipEntries(boolean skipEntries) {
			this.skipEntries = skipEntries;
		}

	}

	/**
	 * Circuit state shared by a fleet of instances over the application's Redis.
	 *
	 * @since 0.1.0
	 */
	public static class Fleet {

		/**
		 * Whether circuit openings (Retry-After and quota windows included) are shared with
		 * the other instances over the application's Redis (a RedisConnectionFactory bean),
		 * with one probe per open period for the whole fleet.
		 */
		private boolean enabled = false;

		/**
		 * Prefix of the Redis keys of the shared circuit state; instances share state only
		 * with instances of the same prefix. Unset: "ai-fallback:{spring.application.name}:fleet:",
		 * so that two applications on one Redis never share circuits (with a warning at
		 * start-up, and "ai-fallback:fleet:", when spring.application.name is not set either).
		 */
		private String keyPrefix;

		/**
		 * Secret, at least 32 bytes and the same on every instance, with which the fleet's
		 * records in Redis are signed (HMAC-SHA256): a record that does not verify is
		 * dropped, so that a writer to Redis without the secret cannot open, close or hold
		 * the fleet's circuits. Unset: ai.fallback.cache.key-secret; start-up fails when
		 * neither is set.
		 */
		private String secret;

		/**
		 * Longest an exchange with Redis may take: past it, the exchange is cancelled and the
		 * link is down (each instance then decides alone), whatever the client's own command
		 * timeout. Callers never wait for Redis.
		 */
		private Duration timeout = Duration.ofMillis(100);

		/**
		 * How often each instance reads the fleet's circuit state from Redis: the longest
		 * delay before an opening elsewhere is followed here.
		 */
		private Duration refreshInterval = Duration.ofSeconds(1);

		/**
		 * How long the instance that won a probe has to report its outcome before another
		 * instance may probe; also how long a closed record stays readable.
		 */
		private Duration probeLease = Duration.ofSeconds(30);

		/**
		 * Whether each entry's retry budget (ai.fallback.retry.budget) is counted for the whole
		 * fleet: every instance adds its calls and retries to per-window Redis counters, so the
		 * ratio and the floor hold for the fleet rather than for each instance. Callers never
		 * wait for Redis; while its link is down, each instance uses its own budget.
		 */
		private boolean retryBudget = false;

		public boolean isRetryBudget() {
			return this.retryBudget;
		}

		public void setRetryBudget(boolean retryBudget) {
			this.retryBudget = retryBudget;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public String getSecret() {
			return this.secret;
		}

		public void setSecret(String secret) {
			this.secret = secret;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

		public Duration getProbeLease() {
			return this.probeLease;
		}

		public void setProbeLease(Duration probeLease) {
			this.probeLease = probeLease;
		}

	}

	/**
	 * The live dashboard: a page of the application that shows the chain's circuits, rates,
	 * latency and recent failures, with buttons to take an entry out of rotation when the
	 * {@code aifallback} endpoint's write access is granted.
	 *
	 * @since 0.1.0
	 */
	public static class Dashboard {

		/**
		 * Whether the dashboard page is served (Spring MVC applications only).
		 */
		private boolean enabled = false;

		/**
		 * Path of the dashboard page, under the servlet context path; its JSON and assets are
		 * served below it.
		 */
		private String path = "/ai-fallback";

		/**
		 * How often the open page asks for fresh figures.
		 */
		private Duration refreshInterval = Duration.ofSeconds(2);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

	}

}

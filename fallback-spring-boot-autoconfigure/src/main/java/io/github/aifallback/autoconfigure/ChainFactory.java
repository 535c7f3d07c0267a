package io.github.aifallback.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.FallbackPolicy;
import io.github.aifallback.chat.HedgeSettings;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.RetryBudgetSettings;
import io.github.aifallback.chat.RetrySettings;
import io.github.aifallback.chat.failure.UrlRedaction;
import io.github.aifallback.chat.anthropic.AnthropicEntryModel;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.deployment.Deployment;
import io.github.aifallback.chat.circuit.SharedCircuitState;
import io.github.aifallback.chat.deployment.DeploymentsEntryModel;
import io.github.aifallback.chat.deployment.RateLimitSettings;
import io.github.aifallback.chat.deployment.RateLimitState;
import io.github.aifallback.chat.model.ChatModelEntryModel;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.http.okhttp.OpenAiHttpClientBuilderCustomizer;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Turns bound {@link FallbackProperties} into the engine's immutable configuration,
 * checking everything first so that a wrong property fails start-up with a message that
 * names it.
 */
final class ChainFactory {

	/** What 0 means for a rate-limit floor, in the fix of its start-up error. */
	private static final String AVOID_ONLY_WHEN_NOTHING_LEFT = "avoid a deployment only when nothing is left";

	private static final Logger logger = LoggerFactory.getLogger(ChainFactory.class);

	static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

	private static final String ANTHROPIC_MODEL_CLASS = "org.springframework.ai.anthropic.AnthropicChatModel";

	private final FallbackProperties properties;

	private final EntryEndpoint.SpringAiOpenAi springAi;

	private final List<OpenAiHttpClientBuilderCustomizer> httpCustomizers;

	private final ObservationRegistry observationRegistry;

	private final ListableBeanFactory beanFactory;

	/** The time source of deployments' circuits and rate-limit resets. */
	private Clock clock = Clock.systemUTC();

	/** Entries' own concurrency limits, by name, gathered while the entries are built. */
	private final Map<String, Integer> entryConcurrency = new LinkedHashMap<>();

	private RateLimitSettings rateLimitSettings = RateLimitSettings.DEFAULTS;

	/** The fleet's circuit state, for deployments' breakers too; {@code null} without a fleet. */
	private SharedCircuitState sharedCircuitState;

	/**
	 * @param springAi {@code spring.ai.openai.chat.*} and {@code spring.ai.openai.*}
	 * @param httpCustomizers Spring AI's HTTP client customizers, applied to every entry
	 * @param observationRegistry where Spring AI records each entry's observations
	 * @param beanFactory where entries with {@code chat-model} find their bean, or
	 * {@code null} when there is none
	 */
	ChainFactory(FallbackProperties properties, EntryEndpoint.SpringAiOpenAi springAi,
			List<OpenAiHttpClientBuilderCustomizer> httpCustomizers, ObservationRegistry observationRegistry,
			ListableBeanFactory beanFactory) {
		this.properties = properties;
		this.springAi = springAi;
		this.httpCustomizers = httpCustomizers;
		this.observationRegistry = observationRegistry;
		this.beanFactory = beanFactory;
	}

	/**
	 * Share deployments' circuits with the fleet; before {@link #builder()}.
	 * @param sharedCircuitState the fleet's state, or {@code null}
	 * @return this factory
	 */
	ChainFactory sharedCircuitState(SharedCircuitState sharedCircuitState) {
		this.sharedCircuitState = sharedCircuitState;
		return this;
	}

	/**
	 * The time source of deployments' circuits and rate-limit resets, the client's own; before
	 * {@link #builder()}.
	 * @param clock the clock
	 * @return this factory
	 */
	ChainFactory clock(Clock clock) {
		this.clock = clock;
		return this;
	}

	/** A builder holding the configured chain and settings, ready for customizers. */
	ResilientChatClient.Builder builder() {
		validateGlobal();
		this.rateLimitSettings = rateLimitSettings();
		CircuitBreakerSettings circuitBreaker = circuitBreakerSettings();
		List<ChainEntry> entries = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (EntryOverrides.MergedEntry merged : EntryOverrides.merge(this.properties)) {
			entries.add(entry(merged, names, circuitBreaker));
		}
		ResilientChatClient.Builder builder = ResilientChatClient.builder()
			.entries(entries)
			.timeout(this.properties.getTimeout())
			.deadline(this.properties.getDeadline())
			.firstTokenTimeout(this.properties.getFirstTokenTimeout())
			.idleTimeout(this.properties.getIdleTimeout())
			.minAttemptTime(this.properties.getMinAttemptTime())
			.retry(retrySettings())
			.policy(policy())
			.circuitBreaker(circuitBreaker)
			.retryBudget(BudgetAndContinuationSettings.settings(this.properties.getRetry().getBudget()))
			.streamContinuation(this.properties.getStreamContinuation().isEnabled())
			.streamContinuationInstruction(
					BudgetAndContinuationSettings.instruction(this.properties.getStreamContinuation().getInstruction()))
			.hedgeBudget(this.properties.getHedge().getBudget(), this.properties.getHedge().getMinPerSecond());
		overloadSettings(builder, entries);
		return builder;
	}

	/** Panic mode, the entries' concurrency limits and the fallback floor (issue 19). */
	private void overloadSettings(ResilientChatClient.Builder builder, List<ChainEntry> entries) {
		FallbackProperties.Panic panic = this.properties.getPanic();
		requirePercent("ai.fallback.panic.threshold", panic.getThreshold());
		builder.panic(panic.isEnabled(), panic.getThreshold());
		FallbackProperties.Bulkhead bulkhead = this.properties.getBulkhead();
		requireZeroOrMore("ai.fallback.bulkhead.max-concurrent-calls", bulkhead.getMaxConcurrentCalls(), "no limit");
		requireZeroOrMore("ai.fallback.bulkhead.max-wait-duration", bulkhead.getMaxWaitDuration().toMillis(),
				"calls over the limit move on at once");
		builder.maxConcurrentCalls(bulkhead.getMaxConcurrentCalls(), bulkhead.getMaxWaitDuration());
		this.entryConcurrency.forEach(builder::maxConcurrentCalls);
		Duration floor = this.properties.getFallbackFloor();
		if (floor != null) {
			requireZeroOrMore("ai.fallback.fallback-floor", floor.toMillis(), "no time is kept for later entries");
			if (floor.compareTo(this.properties.getDeadline()) >= 0) {
				throw new InvalidFallbackConfigurationException("ai.fallback.fallback-floor",
						"the floor kept for later entries (" + floor + ") is not shorter than the deadline ("
								+ this.properties.getDeadline() + ")",
						"Set ai.fallback.fallback-floor below ai.fallback.deadline (by default it is a third of it), "
								+ "or to 0 to turn deadline budgeting off.");
			}
			builder.fallbackFloor(floor);
		}
	}

	private void validateGlobal() {
		if (this.properties.getChain().isEmpty()) {
			throw new InvalidFallbackConfigurationException("ai.fallback.chain", "the chain has no entry",
					"Add at least one model, for example ai.fallback.chain[0].model=gpt-4o-mini, or turn the "
							+ "starter off with ai.fallback.enabled=false.");
		}
		requirePositive("ai.fallback.deadline", this.properties.getDeadline());
		requirePositive("ai.fallback.timeout", this.properties.getTimeout());
		requireWithinDeadline("ai.fallback.timeout", this.properties.getTimeout());
		requireWithinDeadline("ai.fallback.first-token-timeout", this.properties.getFirstTokenTimeout());
		requireWithinDeadline("ai.fallback.idle-timeout", this.properties.getIdleTimeout());
		requirePositive("ai.fallback.min-attempt-time", this.properties.getMinAttemptTime());
		if (this.properties.getMaxResponseSize() == null || this.properties.getMaxResponseSize().toBytes() < 1) {
			throw new InvalidFallbackConfigurationException("ai.fallback.max-response-size",
					"the size must be positive", "Set ai.fallback.max-response-size to a positive size, e.g. 10MB.");
		}
		if (this.properties.getMinAttemptTime().compareTo(this.properties.getDeadline()) >= 0) {
			throw new InvalidFallbackConfigurationException("ai.fallback.min-attempt-time",
					"the floor (" + this.properties.getMinAttemptTime() + ") leaves no attempt inside the deadline ("
							+ this.properties.getDeadline() + ")",
					"Set ai.fallback.min-attempt-time well below ai.fallback.deadline, e.g. 50ms.");
		}
		double hedgeBudget = this.properties.getHedge().getBudget();
		if (!(hedgeBudget >= 0 && hedgeBudget <= 1)) {
			throw new InvalidFallbackConfigurationException("ai.fallback.hedge.budget",
					"the share of extra requests " + hedgeBudget + " is not between 0 and 1",
					"Set ai.fallback.hedge.budget to a share such as 0.1 (at most 10% extra requests).");
		}
		if (this.properties.getHedge().getMinPerSecond() < 0) {
			throw new InvalidFallbackConfigurationException("ai.fallback.hedge.min-per-second",
					"the hedges allowed per second must not be negative", "Set it to 0 or more, e.g. 1.");
		}
		FallbackProperties.Retry retry = this.properties.getRetry();
		requireAtLeastOne("ai.fallback.retry.max-attempts", retry.getMaxAttempts());
		requireAtLeastOne("ai.fallback.retry.max-total-attempts", retry.getMaxTotalAttempts());
		if (retry.getInitialInterval() == null || retry.getInitialInterval().isNegative()) {
			throw new InvalidFallbackConfigurationException("ai.fallback.retry.initial-interval",
					"the interval must not be negative", "Set ai.fallback.retry.initial-interval to 0 or more, e.g. 500ms.");
		}
		requirePositive("ai.fallback.retry.max-interval", retry.getMaxInterval());
		if (retry.getMultiplier() < 1.0) {
			throw new InvalidFallbackConfigurationException("ai.fallback.retry.multiplier",
					"the multiplier " + retry.getMultiplier() + " would shrink the waits",
					"Set ai.fallback.retry.multiplier to 1.0 (constant waits) or more, e.g. 2.0.");
		}
	}

	private ChainEntry entry(EntryOverrides.MergedEntry merged, Set<String> names,
			CircuitBreakerSettings chainBreaker) {
		String prefix = merged.prefix();
		FallbackProperties.Entry entry = merged.entry();
		boolean bean = entry.getChatModel() != null;
		if (!bean && !StringUtils.hasText(entry.getModel())) {
			throw new InvalidFallbackConfigurationException(prefix + ".model", "the entry has no model",
					"Set " + prefix + ".model to the model id the provider expects, e.g. gpt-4o-mini.");
		}
		String label = (bean && !StringUtils.hasText(entry.getModel())) ? entry.getChatModel() : entry.getModel();
		String name = StringUtils.hasText(entry.getName()) ? entry.getName() : (bean ? entry.getChatModel() : label);
		if (!names.add(name)) {
			throw new InvalidFallbackConfigurationException(prefix + ".name",
					"another entry of the chain is already named '" + name + "'",
					"Give each entry a distinct " + prefix + ".name (entries without a name are named by their model).");
		}
		Duration timeout = entry.getTimeout();
		requireWithinDeadline(merged.property("timeout"), timeout);
		requireWithinDeadline(merged.property("first-token-timeout"), entry.getFirstTokenTimeout());
		requireWithinDeadline(merged.property("idle-timeout"), entry.getIdleTimeout());
		if (entry.getMaxAttempts() != null) {
			requireAtLeastOne(merged.property("max-attempts"), entry.getMaxAttempts());
		}
		if (entry.getMaxConcurrentCalls() != null) {
			requireZeroOrMore(merged.property("max-concurrent-calls"), entry.getMaxConcurrentCalls(), "no limit");
			this.entryConcurrency.put(name, entry.getMaxConcurrentCalls());
		}
		Duration attemptTimeout = (timeout != null) ? timeout : this.properties.getTimeout();
		CircuitBreakerSettings ownBreaker = entryCircuitBreaker(merged, chainBreaker);
		CircuitBreakerSettings breaker = (ownBreaker != null) ? ownBreaker : chainBreaker;
		EntryModel model;
		if (!entry.getDeployments().isEmpty()) {
			model = deploymentsEntry(merged, name, attemptTimeout, breaker);
		}
		else if (!bean && this.properties.getRateLimit().isSkipEntries()) {
			// Skipped by the chain, like an open circuit, while its provider says nothing is left.
			RateLimitState rateLimits = new RateLimitState(this.clock, this.rateLimitSettings);
			model = new RateLimitedEntryModel(EntryDefaultOptions.wrap(
					entryModel(merged.endpointPrefix(), prefix, entry, attemptTimeout, rateLimits), entry.getOptions(),
					merged), rateLimits);
		}
		else {
			model = EntryDefaultOptions.wrap(entryModel(merged.endpointPrefix(), prefix, entry, attemptTimeout, null),
					entry.getOptions(), merged);
		}
		return new ChainEntry(name, label, model, timeout, entry.getMaxAttempts(), entry.getFirstTokenTimeout(),
				entry.getIdleTimeout(), ownBreaker, entryPolicy(entry.getPolicy()),
				EntryCapabilitiesProperties.capabilities(merged.property("capabilities"), entry.getCapabilities()),
				EntryCapabilitiesProperties.contextWindow(merged.property("context-window"), entry.getContextWindow()),
				hedge(merged));
	}

	private DeploymentsEntryModel.Builder deployments(String name, CircuitBreakerSettings breaker) {
		// Their circuits' changes reach the client's listeners (the application's events, the
		// dashboard) through EntryModel#publishTo; the builder's own consumer logs them.
		return DeploymentsEntryModel.builder(name)
			.circuitBreaker(breaker)
			.clock(this.clock)
			.sharedCircuitState(this.sharedCircuitState)
			.minAttemptTime(this.properties.getMinAttemptTime());
	}

	/**
	 * An entry of several deployments. Each one's URL and key come as a pair from the
	 * deployment itself or from its provider (its own, else the entry's), never from
	 * {@code spring.ai.openai.*}, and never mixed with the entry's own base URL or key.
	 * Every deployment of an entry speaks the same API.
	 */
	private EntryModel deploymentsEntry(EntryOverrides.MergedEntry merged, String name, Duration attemptTimeout,
			CircuitBreakerSettings breaker) {
		String prefix = merged.prefix();
		FallbackProperties.Entry entry = merged.entry();
		if (entry.getChatModel() != null) {
			throw new InvalidFallbackConfigurationException(prefix + ".deployments",
					"an entry with chat-model uses its bean's endpoint and cannot have deployments",
					"Remove " + prefix + ".chat-model or " + prefix + ".deployments.");
		}
		if (prefix.equals(merged.endpointPrefix()) && (entry.getBaseUrl() != null || entry.getApiKey() != null)) {
			String property = prefix + ((entry.getBaseUrl() != null) ? ".base-url" : ".api-key");
			throw new InvalidFallbackConfigurationException(property,
					"the entry has deployments and also its own base URL or API key",
					"Move " + prefix + ".base-url and .api-key into " + prefix
							+ ".deployments[0] (each deployment sets its own), or remove " + prefix + ".deployments.");
		}
		List<FallbackProperties.Deployment> configured = entry.getDeployments();
		if (configured.size() > 64) {
			throw new InvalidFallbackConfigurationException(prefix + ".deployments",
					"the entry has " + configured.size() + " deployments", "Keep at most 64 deployments per entry.");
		}
		DeploymentsEntryModel.Builder builder = deployments(name, breaker);
		FallbackProperties.ProviderType type = null;
		for (int j = 0; j < configured.size(); j++) {
			String deploymentPrefix = merged.origins().getOrDefault("deployments[" + j + "]", prefix)
					+ ".deployments[" + j + "]";
			FallbackProperties.Deployment deployment = configured.get(j);
			if (deployment == null) {
				continue;
			}
			if (deployment.getWeight() < 1) {
				throw new InvalidFallbackConfigurationException(deploymentPrefix + ".weight",
						"the weight " + deployment.getWeight() + " is below 1",
						"Set " + deploymentPrefix + ".weight to 1 or more (its share of the entry's traffic).");
			}
			FallbackProperties.Entry spec = deploymentSpec(entry, deployment);
			FallbackProperties.Provider provider = provider(deploymentPrefix, spec);
			FallbackProperties.ProviderType own = (provider != null) ? provider.getType()
					: FallbackProperties.ProviderType.OPENAI;
			if (type != null && own != type) {
				throw new InvalidFallbackConfigurationException(deploymentPrefix + ".provider",
						"the deployments of one entry speak different APIs (" + type + " and " + own + ")",
						"Give every deployment of " + prefix + " providers of the same type, or split them into "
								+ "two entries.");
			}
			type = own;
			RateLimitState rateLimits = this.properties.getRateLimit().isEnabled()
					? new RateLimitState(this.clock, this.rateLimitSettings) : null;
			EntryModel model = (own == FallbackProperties.ProviderType.ANTHROPIC)
					? anthropicEntry(deploymentPrefix, spec, provider, attemptTimeout, rateLimits)
					: openAiEntry(deploymentPrefix, spec, provider, attemptTimeout, rateLimits, null);
			String url = (spec.getBaseUrl() != null) ? spec.getBaseUrl() : provider.getBaseUrl();
			builder.deployment(new Deployment("deployment-" + j, UrlRedaction.redact(url),
					EntryDefaultOptions.wrap(model, entry.getOptions(), merged), deployment.getWeight(), rateLimits));
		}
		return builder.build();
	}

	/**
	 * A deployment as an entry of its own: its URL and key, else its provider, else the
	 * entry's provider; its model, else the entry's. Only its own headers: the entry's
	 * may be meant for one host.
	 */
	private static FallbackProperties.Entry deploymentSpec(FallbackProperties.Entry entry,
			FallbackProperties.Deployment deployment) {
		FallbackProperties.Entry spec = new FallbackProperties.Entry();
		spec.setModel(StringUtils.hasText(deployment.getModel()) ? deployment.getModel() : entry.getModel());
		spec.setBaseUrl(deployment.getBaseUrl());
		spec.setApiKey(deployment.getApiKey());
		boolean ownEndpoint = deployment.getBaseUrl() != null || deployment.getApiKey() != null;
		spec.setProvider((deployment.getProvider() != null) ? deployment.getProvider()
				: ownEndpoint ? null : entry.getProvider());
		spec.setHeaders(new java.util.LinkedHashMap<>(deployment.getHeaders()));
		spec.setForwardHeaders(entry.getForwardHeaders());
		return spec;
	}

	/** The entry's hedging, or null when it sets no hedge.delay (the default: never). */
	private HedgeSettings hedge(EntryOverrides.MergedEntry merged) {
		FallbackProperties.EntryHedge hedge = merged.entry().getHedge();
		if (hedge.getDelay() == null) {
			if (Boolean.TRUE.equals(hedge.getUseObservedP95())) {
				throw new InvalidFallbackConfigurationException(merged.property("hedge.use-observed-p95"),
						"the entry hedges on its observed p95 but has no hedge.delay",
						"Set " + merged.property("hedge.delay") + " too: the delay until enough answers were seen, "
								+ "and the least delay, e.g. 500ms.");
			}
			return null;
		}
		requirePositive(merged.property("hedge.delay"), hedge.getDelay());
		requireWithinDeadline(merged.property("hedge.delay"), hedge.getDelay());
		return new HedgeSettings(hedge.getDelay(), Boolean.TRUE.equals(hedge.getUseObservedP95()));
	}

	/** The entry's actions over the chain's, or null when it sets none. */
	private FallbackPolicy entryPolicy(Map<FailureKind, FailureAction> own) {
		if (own.isEmpty()) {
			return null;
		}
		FallbackPolicy policy = policy();
		for (Map.Entry<FailureKind, FailureAction> action : own.entrySet()) {
			if (action.getKey() != null && action.getValue() != null) {
				policy = policy.with(action.getKey(), action.getValue());
			}
		}
		return policy;
	}

	/** The entry's own circuit breaker settings over the chain's, or null when it sets none. */
	private CircuitBreakerSettings entryCircuitBreaker(EntryOverrides.MergedEntry merged,
			CircuitBreakerSettings chain) {
		FallbackProperties.EntryCircuitBreaker own = merged.entry().getCircuitBreaker();
		if (own.getFailureThreshold() == null && own.getOpenDuration() == null && own.getMaxOpenDuration() == null
				&& own.getMinimumNumberOfCalls() == null && own.getFailureRateThreshold() == null
				&& own.getSlowCallRateThreshold() == null && own.getSlowCallDurationThreshold() == null
				&& own.getSlowStart() == null) {
			return null;
		}
		CircuitBreakerSettings.Builder breaker = CircuitBreakerSettings.from(chain);
		if (own.getFailureThreshold() != null) {
			requireZeroOrMore(merged.property("circuit-breaker.failure-threshold"), own.getFailureThreshold(),
					"consecutive failures do not open the circuit");
			breaker.failureThreshold(own.getFailureThreshold());
		}
		if (own.getOpenDuration() != null) {
			requirePositive(merged.property("circuit-breaker.open-duration"), own.getOpenDuration());
			breaker.openDuration(own.getOpenDuration());
		}
		if (own.getMaxOpenDuration() != null) {
			requirePositive(merged.property("circuit-breaker.max-open-duration"), own.getMaxOpenDuration());
			breaker.maxOpenDuration(own.getMaxOpenDuration());
		}
		if (own.getMinimumNumberOfCalls() != null) {
			requireAtLeastOne(merged.property("circuit-breaker.minimum-number-of-calls"),
					own.getMinimumNumberOfCalls());
			breaker.minimumNumberOfCalls(own.getMinimumNumberOfCalls());
		}
		if (own.getFailureRateThreshold() != null) {
			requirePercent(merged.property("circuit-breaker.failure-rate-threshold"), own.getFailureRateThreshold());
			breaker.failureRateThreshold(own.getFailureRateThreshold());
		}
		if (own.getSlowCallRateThreshold() != null) {
			requirePercent(merged.property("circuit-breaker.slow-call-rate-threshold"),
					own.getSlowCallRateThreshold());
			breaker.slowCallRateThreshold(own.getSlowCallRateThreshold());
		}
		if (own.getSlowCallDurationThreshold() != null) {
			requirePositive(merged.property("circuit-breaker.slow-call-duration-threshold"),
					own.getSlowCallDurationThreshold());
			breaker.slowCallDurationThreshold(own.getSlowCallDurationThreshold());
		}
		if (own.getSlowStart() != null) {
			requireZeroOrMore(merged.property("circuit-breaker.slow-start"), own.getSlowStart().toMillis(),
					"a closing circuit takes all its traffic back at once");
			breaker.slowStart(own.getSlowStart());
		}
		Duration open = (own.getOpenDuration() != null) ? own.getOpenDuration() : chain.openDuration();
		Duration maxOpen = (own.getMaxOpenDuration() != null) ? own.getMaxOpenDuration() : chain.maxOpenDuration();
		if (maxOpen.compareTo(open) < 0) {
			String property = (own.getMaxOpenDuration() != null) ? merged.property("circuit-breaker.max-open-duration")
					: merged.property("circuit-breaker.open-duration");
			throw new InvalidFallbackConfigurationException(property,
					"the longest open period (" + maxOpen + ") is shorter than the first (" + open + ")",
					"Make the entry's circuit-breaker.max-open-duration at least its circuit-breaker.open-duration.");
		}
		return breaker.build();
	}

	/** The entry's model, by the kind of entry: each kind builds its own. */
	private EntryModel entryModel(String prefix, String chainPrefix, FallbackProperties.Entry entry,
			Duration attemptTimeout, RateLimitState rateLimits) {
		if (entry.getChatModel() != null) {
			return chatModelEntry(chainPrefix, entry);
		}
		FallbackProperties.Provider provider = provider(prefix, entry);
		if (provider != null && provider.getType() == FallbackProperties.ProviderType.ANTHROPIC) {
			return anthropicEntry(prefix, entry, provider, attemptTimeout, rateLimits);
		}
		return openAiEntry(prefix, entry, provider, attemptTimeout, rateLimits, this.springAi);
	}

	/**
	 * An Anthropic Messages API endpoint, its URL and key as a pair from the entry or its
	 * provider: never from {@code spring.ai.openai.*}, never from the SDK's
	 * {@code ANTHROPIC_*} environment variables.
	 */
	private EntryModel anthropicEntry(String prefix, FallbackProperties.Entry entry,
			FallbackProperties.Provider provider, Duration attemptTimeout, RateLimitState rateLimits) {
		String providerPrefix = "ai.fallback.providers." + entry.getProvider();
		// The thread's class loader: the application's (a test's filtered one included).
		if (!ClassUtils.isPresent(ANTHROPIC_MODEL_CLASS, null)) {
			throw new InvalidFallbackConfigurationException(providerPrefix + ".type",
					"the provider's type is anthropic but spring-ai-anthropic is not on the classpath",
					"Add the dependency org.springframework.ai:spring-ai-anthropic (its version comes with the "
							+ "Spring AI BOM), or set " + providerPrefix + ".type=openai.");
		}
		requireHttpUrl(prefix + ".base-url", entry.getBaseUrl());
		requireHttpUrl(providerPrefix + ".base-url", provider.getBaseUrl());
		EntryEndpoint endpoint = EntryEndpoint.resolve(prefix, entry, entry.getProvider(), provider, null);
		return AnthropicEntryModel.builder()
			.baseUrl(endpoint.baseUrl())
			.apiKey(endpoint.apiKey())
			.headers(endpoint.headers())
			.forwardHeaders(endpoint.forwardHeaders())
			.model(entry.getModel())
			.timeout(attemptTimeout)
			.observationRegistry(this.observationRegistry)
			.rateLimits(rateLimits)
			.maxResponseBytes(this.properties.getMaxResponseSize().toBytes())
			.build();
	}

	/** An OpenAI-compatible endpoint, its URL and key as a pair from one source. */
	private EntryModel openAiEntry(String prefix, FallbackProperties.Entry entry, FallbackProperties.Provider provider,
			Duration attemptTimeout, RateLimitState rateLimits, EntryEndpoint.SpringAiOpenAi springAi) {
		requireHttpUrl(prefix + ".base-url", entry.getBaseUrl());
		if (provider != null) {
			requireHttpUrl("ai.fallback.providers." + entry.getProvider() + ".base-url", provider.getBaseUrl());
		}
		EntryEndpoint endpoint = EntryEndpoint.resolve(prefix, entry, entry.getProvider(), provider, springAi);
		// Entry and provider URLs were checked above: only spring.ai.openai.* is left.
		if (springAi != null) {
			requireHttpUrl((springAi.chatBaseUrl() != null) ? "spring.ai.openai.chat.base-url"
					: "spring.ai.openai.base-url", endpoint.baseUrl());
		}
		return OpenAiEntryModel.builder()
			.baseUrl(endpoint.baseUrl())
			.apiKey(endpoint.apiKey())
			.headers(endpoint.headers())
			.forwardHeaders(endpoint.forwardHeaders())
			.model(entry.getModel())
			.timeout(attemptTimeout)
			.httpClientCustomizers(this.httpCustomizers)
			.observationRegistry(this.observationRegistry)
			.rateLimits(rateLimits)
			.maxResponseBytes(this.properties.getMaxResponseSize().toBytes())
			.build();
	}

	/** A Spring AI ChatModel bean of the application, looked up by name. */
	private EntryModel chatModelEntry(String prefix, FallbackProperties.Entry entry) {
		ChatModel chatModel = ChatModelBeans.find(prefix, entry, this.beanFactory);
		ChatModelBeans.warnIfItRetries(prefix, entry.getChatModel(), chatModel);
		return ChatModelEntryModel.builder(chatModel)
			.model(StringUtils.hasText(entry.getModel()) ? entry.getModel() : null)
			.name(entry.getChatModel())
			.build();
	}

	private FallbackProperties.Provider provider(String prefix, FallbackProperties.Entry entry) {
		if (entry.getProvider() == null) {
			return null;
		}
		FallbackProperties.Provider provider = this.properties.getProviders().get(entry.getProvider());
		if (provider == null) {
			throw new InvalidFallbackConfigurationException(prefix + ".provider",
					"the provider '" + entry.getProvider() + "' is not defined",
					"Define ai.fallback.providers." + entry.getProvider() + ".base-url and .api-key, or use one of "
							+ this.properties.getProviders().keySet() + ".");
		}
		return provider;
	}

	private RateLimitSettings rateLimitSettings() {
		FallbackProperties.RateLimit rateLimit = this.properties.getRateLimit();
		requireZeroOrMore("ai.fallback.rate-limit.min-remaining-requests", rateLimit.getMinRemainingRequests(),
				AVOID_ONLY_WHEN_NOTHING_LEFT);
		requireZeroOrMore("ai.fallback.rate-limit.min-remaining-tokens", rateLimit.getMinRemainingTokens(),
				AVOID_ONLY_WHEN_NOTHING_LEFT);
		requirePositive("ai.fallback.rate-limit.max-wait", rateLimit.getMaxWait());
		return new RateLimitSettings(rateLimit.getMinRemainingRequests(), rateLimit.getMinRemainingTokens(),
				rateLimit.getMaxWait());
	}

	private CircuitBreakerSettings circuitBreakerSettings() {
		FallbackProperties.CircuitBreaker breaker = this.properties.getCircuitBreaker();
		String prefix = "ai.fallback.circuit-breaker.";
		requireZeroOrMore(prefix + "failure-threshold", breaker.getFailureThreshold(),
				"consecutive failures do not open the circuit");
		requirePositive(prefix + "open-duration", breaker.getOpenDuration());
		requirePositive(prefix + "max-open-duration", breaker.getMaxOpenDuration());
		if (breaker.getMaxOpenDuration().compareTo(breaker.getOpenDuration()) < 0) {
			throw new InvalidFallbackConfigurationException(prefix + "max-open-duration",
					"the longest open period (" + breaker.getMaxOpenDuration() + ") is shorter than the first ("
							+ breaker.getOpenDuration() + ")",
					"Set ai.fallback.circuit-breaker.max-open-duration to at least ai.fallback.circuit-breaker.open-duration.");
		}
		requireAtLeastOne(prefix + "sliding-window-size", breaker.getSlidingWindowSize());
		requireAtLeastOne(prefix + "minimum-number-of-calls", breaker.getMinimumNumberOfCalls());
		requirePercent(prefix + "failure-rate-threshold", breaker.getFailureRateThreshold());
		requirePercent(prefix + "slow-call-rate-threshold", breaker.getSlowCallRateThreshold());
		requirePositive(prefix + "slow-call-duration-threshold", breaker.getSlowCallDurationThreshold());
		requireAtLeastOne(prefix + "permitted-number-of-calls-in-half-open-state",
				breaker.getPermittedNumberOfCallsInHalfOpenState());
		requireZeroOrMore(prefix + "slow-start", breaker.getSlowStart().toMillis(),
				"a closing circuit takes all its traffic back at once");
		return CircuitBreakerSettings.custom()
			.failureThreshold(breaker.getFailureThreshold())
			.openDuration(breaker.getOpenDuration())
			.maxOpenDuration(breaker.getMaxOpenDuration())
			.slidingWindow(breaker.getSlidingWindowType(), breaker.getSlidingWindowSize())
			.minimumNumberOfCalls(breaker.getMinimumNumberOfCalls())
			.failureRateThreshold(breaker.getFailureRateThreshold())
			.slowCallRateThreshold(breaker.getSlowCallRateThreshold())
			.slowCallDurationThreshold(breaker.getSlowCallDurationThreshold())
			.permittedNumberOfCallsInHalfOpenState(breaker.getPermittedNumberOfCallsInHalfOpenState())
			.slowStart(breaker.getSlowStart())
			.build();
	}

	private static void requireZeroOrMore(String property, long value, String zeroMeans) {
		if (value < 0) {
			throw new InvalidFallbackConfigurationException(property, "the value " + value + " is negative",
					"Set " + property + " to 0 (" + zeroMeans + ") or more.");
		}
	}

	private static void requirePercent(String property, float value) {
		if (!(value > 0 && value <= 100)) {
			throw new InvalidFallbackConfigurationException(property, "the value " + value + " is not a percentage",
					"Set " + property + " to a percentage above 0 and at most 100, e.g. 50.");
		}
	}

	private RetrySettings retrySettings() {
		FallbackProperties.Retry retry = this.properties.getRetry();
		return new RetrySettings(retry.getMaxAttempts(), retry.getInitialInterval(), retry.getMultiplier(),
				retry.getMaxInterval(), retry.isJitter(), retry.isHonorRetryAfter(), retry.getMaxTotalAttempts());
	}

	private FallbackPolicy policy() {
		FallbackProperties.Policy policy = this.properties.getPolicy();
		Map<FailureKind, FailureAction> actions = new EnumMap<>(FailureKind.class);
		actions.put(FailureKind.RATE_LIMITED, policy.getRateLimited());
		actions.put(FailureKind.QUOTA_EXHAUSTED, policy.getQuotaExhausted());
		actions.put(FailureKind.SERVER_ERROR, policy.getServerError());
		actions.put(FailureKind.TIMEOUT, policy.getTimeout());
		actions.put(FailureKind.CONNECTION, policy.getConnection());
		actions.put(FailureKind.INVALID_RESPONSE, policy.getInvalidResponse());
		actions.put(FailureKind.CONTEXT_TOO_LONG, policy.getContextTooLong());
		actions.put(FailureKind.AUTH, policy.getAuth());
		actions.put(FailureKind.MODEL_NOT_FOUND, policy.getModelNotFound());
		actions.put(FailureKind.BAD_REQUEST, policy.getBadRequest());
		actions.put(FailureKind.REFUSED, policy.getRefused());
		actions.values().removeIf(java.util.Objects::isNull);
		return FallbackPolicy.of(actions);
	}

	/** A timeout, when set, must be positive and no longer than the deadline. */
	private void requireWithinDeadline(String property, Duration timeout) {
		if (timeout == null) {
			return;
		}
		requirePositive(property, timeout);
		if (timeout.compareTo(this.properties.getDeadline()) > 0) {
			throw new InvalidFallbackConfigurationException(property,
					"the timeout (" + timeout + ") is longer than the deadline (" + this.properties.getDeadline() + ")",
					"Make " + property + " shorter than ai.fallback.deadline, or raise the deadline.");
		}
	}

	static void requirePositive(String property, Duration duration) {
		if (duration == null || duration.isZero() || duration.isNegative()) {
			throw new InvalidFallbackConfigurationException(property, "the duration must be positive",
					"Set " + property + " to a positive duration, e.g. 10s or 500ms.");
		}
	}

	private static void requireAtLeastOne(String property, int value) {
		if (value < 1) {
			throw new InvalidFallbackConfigurationException(property, "the value " + value + " is below 1",
					"Set " + property + " to 1 or more.");
		}
	}

	/** A base URL, when set and not blank (blank is reported as "set but empty"), is http(s). */
	private static void requireHttpUrl(String property, String url) {
		if (url == null || url.isBlank()) {
			return;
		}
		try {
			URI uri = URI.create(url);
			if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
				return;
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below
		}
		throw new InvalidFallbackConfigurationException(property, "the base URL is not an http(s) URL",
				"Set " + property + " to a URL such as https://api.openai.com/v1, version path included.");
	}

}

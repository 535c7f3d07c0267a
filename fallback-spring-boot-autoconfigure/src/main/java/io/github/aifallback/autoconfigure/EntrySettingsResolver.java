package io.github.aifallback.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.FallbackPolicy;
import io.github.aifallback.chat.HedgeSettings;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;

import org.springframework.util.StringUtils;

/**
 * Resolves each chain entry's settings once, at start-up, into a
 * {@link ResolvedEntrySettings}: merged with its override and the defaults, its own values
 * checked and resolved against the chain's, its endpoints (or deployments) resolved to one
 * URL and key each, its provider named. Every error names the property to fix.
 */
final class EntrySettingsResolver {

	/** At most this many deployments per entry. */
	private static final int MAX_DEPLOYMENTS = 64;

	private final ChainSettings chain;

	private final EntryEndpoint.SpringAiOpenAi springAi;

	private final EntryModelFactories factories;

	/**
	 * @param chain the chain-wide settings, resolved
	 * @param springAi {@code spring.ai.openai.chat.*} and {@code spring.ai.openai.*}
	 * @param factories the providers there are
	 */
	EntrySettingsResolver(ChainSettings chain, EntryEndpoint.SpringAiOpenAi springAi, EntryModelFactories factories) {
		this.chain = chain;
		this.springAi = springAi;
		this.factories = factories;
	}

	/** Every enabled entry of the chain, in order. */
	List<ResolvedEntrySettings> resolve() {
		List<ResolvedEntrySettings> entries = new ArrayList<>();
		Set<String> names = new HashSet<>();
		for (EntryOverrides.MergedEntry merged : EntryOverrides.merge(this.chain.properties())) {
			entries.add(entry(merged, names));
		}
		return entries;
	}

	private ResolvedEntrySettings entry(EntryOverrides.MergedEntry merged, Set<String> names) {
		String prefix = merged.prefix();
		EntryProperties entry = merged.entry();
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
		Duration deadline = this.chain.deadline();
		Duration timeout = entry.getTimeout();
		Require.withinDeadline(merged.property("timeout"), timeout, deadline);
		Require.withinDeadline(merged.property("first-token-timeout"), entry.getFirstTokenTimeout(), deadline);
		Require.withinDeadline(merged.property("idle-timeout"), entry.getIdleTimeout(), deadline);
		if (entry.getMaxAttempts() != null) {
			Require.atLeastOne(merged.property("max-attempts"), entry.getMaxAttempts());
		}
		if (entry.getMaxConcurrentCalls() != null) {
			Require.zeroOrMore(merged.property("max-concurrent-calls"), entry.getMaxConcurrentCalls(), "no limit");
		}
		Duration attemptTimeout = (timeout != null) ? timeout : this.chain.timeout();
		CircuitBreakerSettings ownBreaker = entryCircuitBreaker(merged, this.chain.circuitBreaker());
		CircuitBreakerSettings breaker = (ownBreaker != null) ? ownBreaker : this.chain.circuitBreaker();
		ResolvedEndpoint endpoint = null;
		List<ResolvedEntrySettings.Deployment> deployments = List.of();
		if (!entry.getDeployments().isEmpty()) {
			deployments = deployments(merged, attemptTimeout);
		}
		else if (bean) {
			endpoint = chatModelEndpoint(prefix, entry);
		}
		else {
			endpoint = endpoint(merged.endpointPrefix(), entry, this.springAi, attemptTimeout);
		}
		ResolvedEntrySettings.DefaultOptions options = options(merged);
		return new ResolvedEntrySettings(prefix, name, label, timeout, attemptTimeout, entry.getMaxAttempts(),
				entry.getFirstTokenTimeout(), entry.getIdleTimeout(), entry.getMaxConcurrentCalls(), ownBreaker,
				breaker, entryPolicy(entry.getPolicy()),
				EntryCapabilitiesProperties.capabilities(merged.property("capabilities"), entry.getCapabilities()),
				EntryCapabilitiesProperties.contextWindow(merged.property("context-window"), entry.getContextWindow()),
				hedge(merged), options, endpoint, deployments,
				!bean && this.chain.properties().getRateLimit().isSkipEntries());
	}

	/**
	 * The deployments of an entry. Each one's URL and key come as a pair from the deployment
	 * itself or from its provider (its own, else the entry's), never from
	 * {@code spring.ai.openai.*}, and never mixed with the entry's own base URL or key. Every
	 * deployment of an entry speaks the same API.
	 */
	private List<ResolvedEntrySettings.Deployment> deployments(EntryOverrides.MergedEntry merged,
			Duration attemptTimeout) {
		String prefix = merged.prefix();
		EntryProperties entry = merged.entry();
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
		List<DeploymentProperties> configured = entry.getDeployments();
		if (configured.size() > MAX_DEPLOYMENTS) {
			throw new InvalidFallbackConfigurationException(prefix + ".deployments",
					"the entry has " + configured.size() + " deployments",
					"Keep at most " + MAX_DEPLOYMENTS + " deployments per entry.");
		}
		List<ResolvedEntrySettings.Deployment> deployments = new ArrayList<>();
		String type = null;
		for (int j = 0; j < configured.size(); j++) {
			String deploymentPrefix = merged.origins().getOrDefault("deployments[" + j + "]", prefix)
					+ ".deployments[" + j + "]";
			DeploymentProperties deployment = configured.get(j);
			if (deployment == null) {
				continue;
			}
			if (deployment.getWeight() < 1) {
				throw new InvalidFallbackConfigurationException(deploymentPrefix + ".weight",
						"the weight " + deployment.getWeight() + " is below 1",
						"Set " + deploymentPrefix + ".weight to 1 or more (its share of the entry's traffic).");
			}
			ResolvedEndpoint endpoint = endpoint(deploymentPrefix, deploymentSpec(entry, deployment), null,
					attemptTimeout);
			if (type != null && !endpoint.provider().equals(type)) {
				throw new InvalidFallbackConfigurationException(deploymentPrefix + ".provider",
						"the deployments of one entry speak different APIs (" + upper(type) + " and "
								+ upper(endpoint.provider()) + ")",
						"Give every deployment of " + prefix + " providers of the same type, or split them into "
								+ "two entries.");
			}
			type = endpoint.provider();
			deployments.add(new ResolvedEntrySettings.Deployment(j, endpoint, deployment.getWeight()));
		}
		return deployments;
	}

	/** As the enum of provider types printed itself before it was a name. */
	private static String upper(String type) {
		return type.toUpperCase(Locale.ROOT);
	}

	/**
	 * A deployment as an entry of its own: its URL and key, else its provider, else the
	 * entry's provider; its model, else the entry's. Only its own headers: the entry's may be
	 * meant for one host.
	 */
	private static EntryProperties deploymentSpec(EntryProperties entry,
			DeploymentProperties deployment) {
		EntryProperties spec = new EntryProperties();
		spec.setModel(StringUtils.hasText(deployment.getModel()) ? deployment.getModel() : entry.getModel());
		spec.setBaseUrl(deployment.getBaseUrl());
		spec.setApiKey(deployment.getApiKey());
		boolean ownEndpoint = deployment.getBaseUrl() != null || deployment.getApiKey() != null;
		spec.setProvider((deployment.getProvider() != null) ? deployment.getProvider()
				: ownEndpoint ? null : entry.getProvider());
		spec.setHeaders(new LinkedHashMap<>(deployment.getHeaders()));
		spec.setForwardHeaders(entry.getForwardHeaders());
		return spec;
	}

	/**
	 * An endpoint of an entry, its URL and key as a pair from one source; an entry that names
	 * no provider speaks OpenAI's API and may take {@code spring.ai.openai.*}.
	 */
	private ResolvedEndpoint endpoint(String prefix, EntryProperties entry,
			EntryEndpoint.SpringAiOpenAi springAi, Duration attemptTimeout) {
		ProviderProperties provider = provider(prefix, entry);
		String type = (provider != null) ? this.factories.require(entry.getProvider(), provider.getType())
				: OpenAiEntryModelFactory.PROVIDER;
		Require.httpUrl(prefix + ".base-url", entry.getBaseUrl());
		if (provider != null) {
			Require.httpUrl("ai.fallback.providers." + entry.getProvider() + ".base-url", provider.getBaseUrl());
		}
		// Only OpenAI's API may fall back on spring.ai.openai.*.
		EntryEndpoint.SpringAiOpenAi springAiOpenAi = OpenAiEntryModelFactory.PROVIDER.equals(type) ? springAi : null;
		EntryEndpoint endpoint = EntryEndpoint.resolve(prefix, entry, entry.getProvider(), provider, springAiOpenAi);
		// Entry and provider URLs were checked above: only spring.ai.openai.* is left.
		if (springAiOpenAi != null) {
			Require.httpUrl((springAiOpenAi.chatBaseUrl() != null) ? "spring.ai.openai.chat.base-url"
					: "spring.ai.openai.base-url", endpoint.baseUrl());
		}
		return new ResolvedEndpoint(prefix, type, entry.getProvider(), entry.getModel(), null, endpoint.baseUrl(),
				endpoint.apiKey(), Map.copyOf(endpoint.headers()), List.copyOf(endpoint.forwardHeaders()),
				attemptTimeout, this.chain.maxResponseBytes());
	}

	/** An entry of the application's ChatModel bean: the bean keeps its own endpoint and key. */
	private ResolvedEndpoint chatModelEndpoint(String prefix, EntryProperties entry) {
		String property = prefix + ".chat-model";
		if (entry.getChatModel().isBlank()) {
			throw new InvalidFallbackConfigurationException(property, "the bean name is empty",
					"Set " + property + " to the name of a ChatModel bean, e.g. ollamaChatModel, or remove it.");
		}
		rejectEndpointSettings(prefix, entry);
		return new ResolvedEndpoint(prefix, ChatModelEntryModelFactory.PROVIDER, null,
				StringUtils.hasText(entry.getModel()) ? entry.getModel() : null, entry.getChatModel(), null, null,
				Map.of(), List.of(), null, this.chain.maxResponseBytes());
	}

	/** A bean keeps its own endpoint and key: settings of an OpenAI entry would be ignored. */
	private static void rejectEndpointSettings(String prefix, EntryProperties entry) {
		List<String> set = new ArrayList<>();
		if (entry.getBaseUrl() != null) {
			set.add("base-url");
		}
		if (entry.getApiKey() != null) {
			set.add("api-key");
		}
		if (entry.getProvider() != null) {
			set.add("provider");
		}
		if (!entry.getHeaders().isEmpty()) {
			set.add("headers");
		}
		if (!entry.getForwardHeaders().isEmpty()) {
			set.add("forward-headers");
		}
		if (!set.isEmpty()) {
			throw new InvalidFallbackConfigurationException(prefix + "." + set.get(0),
					"an entry with chat-model cannot also set " + String.join(", ", set),
					"Remove " + prefix + "." + String.join(" and " + prefix + ".", set)
							+ ": the ChatModel bean uses its own base URL and key (for Ollama, spring.ai.ollama.base-url).");
		}
	}

	private ProviderProperties provider(String prefix, EntryProperties entry) {
		if (entry.getProvider() == null) {
			return null;
		}
		Map<String, ProviderProperties> providers = this.chain.properties().getProviders();
		ProviderProperties provider = providers.get(entry.getProvider());
		if (provider == null) {
			throw new InvalidFallbackConfigurationException(prefix + ".provider",
					"the provider '" + entry.getProvider() + "' is not defined",
					"Define ai.fallback.providers." + entry.getProvider() + ".base-url and .api-key, or use one of "
							+ providers.keySet() + ".");
		}
		return provider;
	}

	private static ResolvedEntrySettings.DefaultOptions options(EntryOverrides.MergedEntry merged) {
		EntryOptionsProperties options = merged.entry().getOptions();
		if (options.getMaxTokens() != null && options.getMaxTokens() < 1) {
			throw new InvalidFallbackConfigurationException(merged.property("options.max-tokens"),
					"the value " + options.getMaxTokens() + " is below 1", "Set it to 1 or more, or remove it.");
		}
		return new ResolvedEntrySettings.DefaultOptions(options.getTemperature(), options.getMaxTokens(),
				options.getTopP());
	}

	/** The entry's hedging, or null when it sets no hedge.delay (the default: never). */
	private HedgeSettings hedge(EntryOverrides.MergedEntry merged) {
		EntryHedgeProperties hedge = merged.entry().getHedge();
		if (hedge.getDelay() == null) {
			if (Boolean.TRUE.equals(hedge.getUseObservedP95())) {
				throw new InvalidFallbackConfigurationException(merged.property("hedge.use-observed-p95"),
						"the entry hedges on its observed p95 but has no hedge.delay",
						"Set " + merged.property("hedge.delay") + " too: the delay until enough answers were seen, "
								+ "and the least delay, e.g. 500ms.");
			}
			return null;
		}
		Require.withinDeadline(merged.property("hedge.delay"), hedge.getDelay(), this.chain.deadline());
		return HedgeSettings.custom()
			.delay(hedge.getDelay())
			.useObservedP95(Boolean.TRUE.equals(hedge.getUseObservedP95()))
			.build();
	}

	/** The entry's actions over the chain's, or null when it sets none. */
	private FallbackPolicy entryPolicy(Map<FailureKind, FailureAction> own) {
		if (own.isEmpty()) {
			return null;
		}
		FallbackPolicy policy = this.chain.policy();
		for (Map.Entry<FailureKind, FailureAction> action : own.entrySet()) {
			if (action.getKey() != null && action.getValue() != null) {
				policy = policy.with(action.getKey(), action.getValue());
			}
		}
		return policy;
	}

	/** The entry's own circuit breaker settings over the chain's, or null when it sets none. */
	private static CircuitBreakerSettings entryCircuitBreaker(EntryOverrides.MergedEntry merged,
			CircuitBreakerSettings chain) {
		EntryCircuitBreakerProperties own = merged.entry().getCircuitBreaker();
		if (own.getFailureThreshold() == null && own.getOpenDuration() == null && own.getMaxOpenDuration() == null
				&& own.getMinimumNumberOfCalls() == null && own.getFailureRateThreshold() == null
				&& own.getSlowCallRateThreshold() == null && own.getSlowCallDurationThreshold() == null
				&& own.getSlowStart() == null) {
			return null;
		}
		CircuitBreakerSettings.Builder breaker = CircuitBreakerSettings.from(chain);
		if (own.getFailureThreshold() != null) {
			Require.zeroOrMore(merged.property("circuit-breaker.failure-threshold"), own.getFailureThreshold(),
					"consecutive failures do not open the circuit");
			breaker.failureThreshold(own.getFailureThreshold());
		}
		if (own.getOpenDuration() != null) {
			Require.positive(merged.property("circuit-breaker.open-duration"), own.getOpenDuration());
			breaker.openDuration(own.getOpenDuration());
		}
		if (own.getMaxOpenDuration() != null) {
			Require.positive(merged.property("circuit-breaker.max-open-duration"), own.getMaxOpenDuration());
			breaker.maxOpenDuration(own.getMaxOpenDuration());
		}
		if (own.getMinimumNumberOfCalls() != null) {
			Require.atLeastOne(merged.property("circuit-breaker.minimum-number-of-calls"),
					own.getMinimumNumberOfCalls());
			breaker.minimumNumberOfCalls(own.getMinimumNumberOfCalls());
		}
		if (own.getFailureRateThreshold() != null) {
			Require.percent(merged.property("circuit-breaker.failure-rate-threshold"), own.getFailureRateThreshold());
			breaker.failureRateThreshold(own.getFailureRateThreshold());
		}
		if (own.getSlowCallRateThreshold() != null) {
			Require.percent(merged.property("circuit-breaker.slow-call-rate-threshold"),
					own.getSlowCallRateThreshold());
			breaker.slowCallRateThreshold(own.getSlowCallRateThreshold());
		}
		if (own.getSlowCallDurationThreshold() != null) {
			Require.positive(merged.property("circuit-breaker.slow-call-duration-threshold"),
					own.getSlowCallDurationThreshold());
			breaker.slowCallDurationThreshold(own.getSlowCallDurationThreshold());
		}
		if (own.getSlowStart() != null) {
			Require.zeroOrMore(merged.property("circuit-breaker.slow-start"), own.getSlowStart().toMillis(),
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

}

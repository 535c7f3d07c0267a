package io.github.aifallback.autoconfigure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.springframework.util.StringUtils;

/**
 * Merges each chain entry with {@code ai.fallback.entries.<name>} and
 * {@code ai.fallback.defaults}, once, before the chain is built: the override's value, else
 * the entry's own, else the defaults' (the chain-wide setting comes last, in the engine).
 * <p>
 * The chain stays a list bound from one source; the overrides are a map keyed by name, so
 * that Spring Boot binds each of its keys from any source, an environment variable
 * ({@code AI_FALLBACK_ENTRIES_PRIMARY_TIMEOUT=20s}) included. Each merged setting remembers
 * the property it came from, so that an error names the property to fix.
 */
final class EntryOverrides {

	static final String ENTRIES = "ai.fallback.entries";

	static final String DEFAULTS = "ai.fallback.defaults";

	private EntryOverrides() {
	}

	/**
	 * The chain's entries with their overrides, disabled ones left out, in chain order.
	 * @throws InvalidFallbackConfigurationException when an override names no entry, or no
	 * entry is left
	 */
	static List<MergedEntry> merge(FallbackProperties properties) {
		List<EntryProperties> chain = properties.getChain();
		Map<Integer, String> overrideOf = matchOverrides(properties.getEntries().keySet(), chain);
		List<MergedEntry> merged = new ArrayList<>();
		for (int i = 0; i < chain.size(); i++) {
			String key = overrideOf.get(i);
			MergedEntry entry = merge("ai.fallback.chain[" + i + "]", chain.get(i),
					(key != null) ? ENTRIES + "." + key : null,
					(key != null) ? properties.getEntries().get(key) : null, properties.getDefaults());
			if (entry.enabled()) {
				merged.add(entry);
			}
		}
		if (merged.isEmpty() && !chain.isEmpty()) {
			throw new InvalidFallbackConfigurationException("ai.fallback.chain", "every entry of the chain is disabled",
					"Enable at least one entry: remove enabled=false from ai.fallback.defaults or from the "
							+ "entries' overrides under " + ENTRIES + ".");
		}
		return merged;
	}

	/** The name an entry is known by: its name, else its bean's, else its model id. */
	static String nameOf(EntryProperties entry) {
		if (StringUtils.hasText(entry.getName())) {
			return entry.getName();
		}
		return (entry.getChatModel() != null) ? entry.getChatModel() : entry.getModel();
	}

	/**
	 * Which override each chain entry gets. A key matches an entry's name exactly, else
	 * ignoring case, dashes and dots, as an environment variable can only spell it
	 * ({@code GPT_4O_MINI} binds the key {@code gpt4omini}).
	 */
	private static Map<Integer, String> matchOverrides(Iterable<String> keys, List<EntryProperties> chain) {
		List<String> names = chain.stream().map(EntryOverrides::nameOf).toList();
		Map<Integer, String> matched = new HashMap<>();
		for (String key : keys) {
			int index = names.indexOf(key);
			if (index < 0) {
				index = uniqueLooseMatch(key, names);
			}
			if (index < 0) {
				throw new InvalidFallbackConfigurationException(ENTRIES + "." + key,
						"no chain entry is named '" + key + "'; the chain's entries are " + names,
						"Name an entry of the chain (an entry's name defaults to its model id), set "
								+ "ai.fallback.chain[i].name to '" + key + "', or remove the override.");
			}
			String previous = matched.put(index, key);
			if (previous != null) {
				throw new InvalidFallbackConfigurationException(ENTRIES + "." + key,
						"both '" + previous + "' and '" + key + "' override the entry '" + names.get(index) + "'",
						"Keep one of " + ENTRIES + "." + previous + " and " + ENTRIES + "." + key + ".");
			}
		}
		return matched;
	}

	private static int uniqueLooseMatch(String key, List<String> names) {
		int found = -1;
		for (int i = 0; i < names.size(); i++) {
			if (names.get(i) != null && loose(names.get(i)).equals(loose(key))) {
				if (found >= 0) {
					return -1;
				}
				found = i;
			}
		}
		return found;
	}

	private static String loose(String name) {
		return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
	}

	private static MergedEntry merge(String prefix, EntryProperties entry, String overridePrefix,
			EntrySettingsProperties override, EntrySettingsProperties defaults) {
		boolean bean = entry.getChatModel() != null;
		Sources sources = new Sources(prefix, entry, overridePrefix, override, defaults, bean);
		EntryProperties merged = new EntryProperties();
		merged.setModel(entry.getModel());
		merged.setName(entry.getName());
		merged.setChatModel(entry.getChatModel());
		merged.setDeployments(deployments(entry, prefix, overridePrefix, override, sources.origins));
		merged.setEnabled(sources.first("enabled", EntrySettingsProperties::getEnabled));
		merged.setTimeout(sources.first("timeout", EntrySettingsProperties::getTimeout));
		merged.setMaxAttempts(sources.first("max-attempts", EntrySettingsProperties::getMaxAttempts));
		merged.setFirstTokenTimeout(
				sources.first("first-token-timeout", EntrySettingsProperties::getFirstTokenTimeout));
		merged.setIdleTimeout(sources.first("idle-timeout", EntrySettingsProperties::getIdleTimeout));
		merged.setCapabilities(sources.first("capabilities", EntrySettingsProperties::getCapabilities));
		merged.setContextWindow(sources.first("context-window", EntrySettingsProperties::getContextWindow));
		merged.getCircuitBreaker()
			.setFailureThreshold(sources.first("circuit-breaker.failure-threshold",
					(s) -> s.getCircuitBreaker().getFailureThreshold()));
		merged.getCircuitBreaker()
			.setOpenDuration(
					sources.first("circuit-breaker.open-duration", (s) -> s.getCircuitBreaker().getOpenDuration()));
		merged.getCircuitBreaker()
			.setMaxOpenDuration(sources.first("circuit-breaker.max-open-duration",
					(s) -> s.getCircuitBreaker().getMaxOpenDuration()));
		merged.getCircuitBreaker()
			.setMinimumNumberOfCalls(sources.first("circuit-breaker.minimum-number-of-calls",
					(s) -> s.getCircuitBreaker().getMinimumNumberOfCalls()));
		merged.getCircuitBreaker()
			.setFailureRateThreshold(sources.first("circuit-breaker.failure-rate-threshold",
					(s) -> s.getCircuitBreaker().getFailureRateThreshold()));
		merged.getCircuitBreaker()
			.setSlowCallRateThreshold(sources.first("circuit-breaker.slow-call-rate-threshold",
					(s) -> s.getCircuitBreaker().getSlowCallRateThreshold()));
		merged.getCircuitBreaker()
			.setSlowCallDurationThreshold(sources.first("circuit-breaker.slow-call-duration-threshold",
					(s) -> s.getCircuitBreaker().getSlowCallDurationThreshold()));
		merged.getCircuitBreaker()
			.setSlowStart(sources.first("circuit-breaker.slow-start", (s) -> s.getCircuitBreaker().getSlowStart()));
		merged.setMaxConcurrentCalls(
				sources.first("max-concurrent-calls", EntrySettingsProperties::getMaxConcurrentCalls));
		merged.getOptions().setTemperature(sources.first("options.temperature", (s) -> s.getOptions().getTemperature()));
		merged.getOptions().setMaxTokens(sources.first("options.max-tokens", (s) -> s.getOptions().getMaxTokens()));
		merged.getOptions().setTopP(sources.first("options.top-p", (s) -> s.getOptions().getTopP()));
		merged.getHedge().setDelay(sources.first("hedge.delay", (s) -> s.getHedge().getDelay()));
		merged.getHedge()
			.setUseObservedP95(sources.first("hedge.use-observed-p95", (s) -> s.getHedge().getUseObservedP95()));
		merged.setPolicy(sources.mergedMap("policy", EntrySettingsProperties::getPolicy));
		merged.setHeaders(sources.mergedMap("headers", EntrySettingsProperties::getHeaders));
		List<String> forwardHeaders = sources.first("forward-headers",
				(s) -> s.getForwardHeaders().isEmpty() ? null : s.getForwardHeaders());
		merged.setForwardHeaders((forwardHeaders != null) ? forwardHeaders : new ArrayList<>());
		// Where the entry connects is one setting: provider, URL and key from one place.
		String endpoint = sources.endpoint();
		EntrySettingsProperties from = sources.settingsOf(endpoint);
		if (from != null) {
			merged.setProvider(from.getProvider());
			merged.setBaseUrl(from.getBaseUrl());
			merged.setApiKey(from.getApiKey());
		}
		return new MergedEntry(prefix, merged, sources.origins, (endpoint != null) ? endpoint : prefix);
	}

	/**
	 * The chain entry's deployments with the override's merged in by index, field by field:
	 * the override's value where it sets one.
	 * @throws InvalidFallbackConfigurationException when the override names a deployment
	 * the entry does not have
	 */
	private static List<DeploymentProperties> deployments(EntryProperties entry, String prefix, String overridePrefix,
			EntrySettingsProperties override, Map<String, String> origins) {
		List<DeploymentProperties> own = entry.getDeployments();
		if (!(override instanceof EntryOverrideProperties byName) || byName.getDeployments().isEmpty()) {
			return own;
		}
		List<DeploymentProperties> merged = new ArrayList<>(own);
		byName.getDeployments().forEach((index, over) -> {
			String property = overridePrefix + ".deployments[" + index + "]";
			if (index == null || index < 0 || index >= own.size() || own.get(index) == null) {
				throw new InvalidFallbackConfigurationException(property,
						"the entry has " + own.size() + " deployment(s) in " + prefix + ".deployments, and an "
								+ "override changes them but adds none",
						"Override an index below " + own.size() + ", or add the deployment to " + prefix
								+ ".deployments.");
			}
			if (over != null) {
				merged.set(index, merge(own.get(index), over));
				origins.put("deployments[" + index + "]", overridePrefix);
			}
		});
		return merged;
	}

	private static DeploymentProperties merge(DeploymentProperties base, DeploymentProperties over) {
		DeploymentProperties merged = new DeploymentProperties();
		merged.setProvider((over.getProvider() != null) ? over.getProvider() : base.getProvider());
		merged.setBaseUrl((over.getBaseUrl() != null) ? over.getBaseUrl() : base.getBaseUrl());
		merged.setApiKey((over.getApiKey() != null) ? over.getApiKey() : base.getApiKey());
		merged.setModel((over.getModel() != null) ? over.getModel() : base.getModel());
		merged.setWeight(over.weightSet() ? over.getWeight() : base.getWeight());
		Map<String, String> headers = new LinkedHashMap<>(base.getHeaders());
		headers.putAll(over.getHeaders());
		merged.setHeaders(headers);
		return merged;
	}

	/** The places an entry's settings come from, highest precedence first. */
	private static final class Sources {

		private final Map<String, EntrySettingsProperties> byPrefix = new LinkedHashMap<>();

		private final Map<String, String> origins = new HashMap<>();

		/** A chat-model entry has its bean's endpoint: the defaults' is not for it. */
		private final boolean bean;

		Sources(String prefix, EntryProperties entry, String overridePrefix, EntrySettingsProperties override,
				EntrySettingsProperties defaults, boolean bean) {
			this.bean = bean;
			if (override != null) {
				this.byPrefix.put(overridePrefix, override);
			}
			this.byPrefix.put(prefix, entry);
			if (defaults != null) {
				this.byPrefix.put(DEFAULTS, defaults);
			}
		}

		<T> T first(String setting, Function<EntrySettingsProperties, T> getter) {
			for (Map.Entry<String, EntrySettingsProperties> source : this.byPrefix.entrySet()) {
				if (skip(setting, source.getKey())) {
					continue;
				}
				T value = getter.apply(source.getValue());
				if (value != null) {
					this.origins.put(setting, source.getKey());
					return value;
				}
			}
			return null;
		}

		/** Lowest precedence first, so that higher ones replace its keys. */
		<K, V> Map<K, V> mergedMap(String setting, Function<EntrySettingsProperties, Map<K, V>> getter) {
			List<String> prefixes = new ArrayList<>(this.byPrefix.keySet());
			Map<K, V> merged = new LinkedHashMap<>();
			for (int i = prefixes.size() - 1; i >= 0; i--) {
				if (skip(setting, prefixes.get(i))) {
					continue;
				}
				Map<K, V> map = getter.apply(this.byPrefix.get(prefixes.get(i)));
				if (map != null && !map.isEmpty()) {
					if (setting.equals("headers")) {
						requireNoBlankHeader(prefixes.get(i), (Map<?, ?>) map);
					}
					merged.putAll(map);
					this.origins.put(setting, prefixes.get(i));
				}
			}
			return merged;
		}

		/** The first place that sets any of provider, base-url and api-key, or null. */
		String endpoint() {
			for (Map.Entry<String, EntrySettingsProperties> source : this.byPrefix.entrySet()) {
				EntrySettingsProperties settings = source.getValue();
				if (skip("provider", source.getKey())) {
					continue;
				}
				if (settings.getProvider() != null || settings.getBaseUrl() != null || settings.getApiKey() != null) {
					this.origins.put("provider", source.getKey());
					this.origins.put("base-url", source.getKey());
					this.origins.put("api-key", source.getKey());
					return source.getKey();
				}
			}
			return null;
		}

		private boolean skip(String setting, String prefix) {
			return this.bean && DEFAULTS.equals(prefix)
					&& (setting.equals("provider") || setting.equals("headers") || setting.equals("forward-headers"));
		}

		EntrySettingsProperties settingsOf(String prefix) {
			return (prefix != null) ? this.byPrefix.get(prefix) : null;
		}

		private static void requireNoBlankHeader(String prefix, Map<?, ?> headers) {
			headers.forEach((name, value) -> {
				if (value == null || value.toString().isBlank()) {
					String property = prefix + ".headers." + name;
					throw new InvalidFallbackConfigurationException(property, "the property is set but empty",
							"Give " + property + " a value (if it reads an environment variable, e.g. ${X:}, that "
									+ "variable is unset or empty), or remove the property.");
				}
			});
		}

	}

	/**
	 * One chain entry with its overrides applied, and where each setting came from.
	 *
	 * @param prefix the chain entry's prefix, {@code ai.fallback.chain[i]}
	 * @param entry the merged entry (a copy: the bound properties are never changed)
	 * @param origins the prefix each merged setting came from, by setting
	 * @param endpointPrefix the prefix the entry's provider, base URL and key came from
	 */
	record MergedEntry(String prefix, EntryProperties entry, Map<String, String> origins, String endpointPrefix) {

		/** The full name of the property a setting came from, e.g. for an error. */
		String property(String setting) {
			return this.origins.getOrDefault(setting, this.prefix) + "." + setting;
		}

		boolean enabled() {
			return !Boolean.FALSE.equals(this.entry.getEnabled());
		}

	}

}

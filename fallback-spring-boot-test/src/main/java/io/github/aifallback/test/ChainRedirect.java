package io.github.aifallback.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.aifallback.autoconfigure.FallbackProperties;
import io.github.aifallback.autoconfigure.EntryProperties;
import io.github.aifallback.autoconfigure.EntrySettingsProperties;
import io.github.aifallback.autoconfigure.ProviderProperties;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.StringUtils;

/**
 * The properties that point every HTTP entry of the application's chain at the simulator,
 * each at its own path: {@code ai.fallback.entries[<name>].base-url}, {@code .api-key} and
 * the entry's own {@code .provider} (so that an Anthropic entry stays one), which take
 * precedence over the entry's own endpoint; and every provider's URL and key, so that a key
 * read from an unset environment variable does not stop the test.
 */
final class ChainRedirect {

	private static final String ENTRIES = "ai.fallback.entries";

	private static final String PROVIDERS = "ai.fallback.providers";

	private ChainRedirect() {
	}

	static Map<String, Object> properties(ConfigurableEnvironment environment, FallbackSimulator simulator) {
		FallbackProperties properties = Binder.get(environment)
			.bind("ai.fallback", FallbackProperties.class)
			.orElseGet(FallbackProperties::new);
		Map<String, Object> redirect = new LinkedHashMap<>();
		properties.getProviders().forEach((name, provider) -> {
			String path = "provider-" + name;
			String prefix = prefix(PROVIDERS, name);
			copySettings(environment, PROVIDERS, name, prefix, redirect);
			redirect.put(prefix + ".base-url", isAnthropic(provider)
					? simulator.anthropicBaseUrl(path) : simulator.openAiBaseUrl(path));
			redirect.put(prefix + ".api-key", FallbackSimulator.API_KEY);
		});
		List<EntryProperties> chain = properties.getChain();
		for (int i = 0; i < chain.size(); i++) {
			EntryProperties entry = chain.get(i);
			if (entry == null || entry.getChatModel() != null) {
				continue;
			}
			String name = nameOf(entry);
			if (!entry.getDeployments().isEmpty()) {
				throw new IllegalStateException("ai.fallback.chain[" + i + "] ('" + name + "') has deployments, which "
						+ "the fallback simulator cannot redirect yet: give the test a chain without deployments, e.g. "
						+ "with @SpringBootTest(properties = ...) or a test profile.");
			}
			String key = overrideKey(properties.getEntries(), name);
			String provider = provider(properties.getEntries().get(key), entry, properties.getDefaults());
			ProviderProperties type = (provider != null) ? properties.getProviders().get(provider) : null;
			String prefix = prefix(ENTRIES, key);
			copySettings(environment, ENTRIES, key, prefix, redirect);
			if (provider != null) {
				redirect.put(prefix + ".provider", provider);
			}
			redirect.put(prefix + ".base-url",
					isAnthropic(type) ? simulator.anthropicBaseUrl(name) : simulator.openAiBaseUrl(name));
			redirect.put(prefix + ".api-key", FallbackSimulator.API_KEY);
		}
		return redirect;
	}

	/** A map key's prefix, written as an application most likely wrote it. */
	private static String prefix(String map, String key) {
		return key.matches("[a-z0-9-]+") ? map + "." + key : map + "[" + key + "]";
	}

	/**
	 * The application's own settings of a provider or an entry's override, copied under ours:
	 * Boot binds a map's bean value from the highest source with its key, and a key spelled
	 * otherwise there ({@code a.b-c} and {@code a[b-c]}) would hide them.
	 */
	private static void copySettings(ConfigurableEnvironment environment, String map, String key, String prefix,
			Map<String, Object> into) {
		ConfigurationPropertyName entries = ConfigurationPropertyName.of(map);
		int keyIndex = entries.getNumberOfElements();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			// The key as written (ORIGINAL): entries.gpt-4o and entries[gpt-4o] are one key.
			iterable.stream()
				.filter((name) -> entries.isAncestorOf(name) && name.getNumberOfElements() > keyIndex + 1
						&& key.equals(name.getElement(keyIndex, ConfigurationPropertyName.Form.ORIGINAL)))
				.forEach((name) -> {
					ConfigurationProperty property = iterable.getConfigurationProperty(name);
					if (property != null && property.getValue() != null) {
						String setting = name.subName(keyIndex + 1).toString();
						into.putIfAbsent(prefix + (setting.startsWith("[") ? "" : ".") + setting, property.getValue());
					}
				});
		}
	}

	private static boolean isAnthropic(ProviderProperties provider) {
		return provider != null && provider.getType() != null
				&& "anthropic".equalsIgnoreCase(provider.getType().trim());
	}

	/** The name the starter knows the entry by: its name, else its model id. */
	private static String nameOf(EntryProperties entry) {
		return StringUtils.hasText(entry.getName()) ? entry.getName() : entry.getModel();
	}

	/**
	 * The application's own override key of the entry when it has one (matched as the starter
	 * matches it: exactly, else ignoring case, dashes and dots), so that ours adds to it.
	 */
	private static String overrideKey(Map<String, ? extends EntrySettingsProperties> overrides, String name) {
		if (overrides.containsKey(name)) {
			return name;
		}
		for (String key : overrides.keySet()) {
			if (loose(key).equals(loose(name))) {
				return key;
			}
		}
		return name;
	}

	private static String loose(String name) {
		return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
	}

	/** The provider of the first place that sets the entry's endpoint, as the starter reads it. */
	private static String provider(EntrySettingsProperties override, EntryProperties entry,
			EntrySettingsProperties defaults) {
		for (EntrySettingsProperties settings : new EntrySettingsProperties[] { override, entry, defaults }) {
			if (settings != null && (settings.getProvider() != null || settings.getBaseUrl() != null
					|| settings.getApiKey() != null)) {
				return settings.getProvider();
			}
		}
		return null;
	}

}

package io.github.aifallback.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@link EntryModelFactory} beans by provider name. An application's factory replaces
 * the starter's own of the same name; two of the application's with one name fail start-up.
 */
final class EntryModelFactories {

	private final Map<String, EntryModelFactory> byName = new LinkedHashMap<>();

	EntryModelFactories(List<EntryModelFactory> factories) {
		for (EntryModelFactory factory : factories) {
			String name = factory.provider();
			EntryModelFactory other = this.byName.get(name);
			if (other == null || builtIn(other)) {
				if (other == null || !builtIn(factory)) {
					this.byName.put(name, factory);
				}
			}
			else if (!builtIn(factory)) {
				throw new InvalidFallbackConfigurationException("ai.fallback.providers",
						"two EntryModelFactory beans (" + other.getClass().getName() + " and "
								+ factory.getClass().getName() + ") both build the provider '" + name + "'",
						"Give each EntryModelFactory a provider() name of its own, or remove one of them.");
			}
		}
	}

	private static boolean builtIn(EntryModelFactory factory) {
		return factory instanceof OpenAiEntryModelFactory || factory instanceof AnthropicEntryModelFactory
				|| factory instanceof ChatModelEntryModelFactory;
	}

	/**
	 * The provider a provider's {@code type} names, as its factory knows it.
	 * @param providerKey the key under {@code ai.fallback.providers}
	 * @param type its type as bound, {@code null} for the default ({@code openai})
	 * @return the factory's name
	 * @throws InvalidFallbackConfigurationException when no factory has that name
	 */
	String require(String providerKey, String type) {
		String property = "ai.fallback.providers." + providerKey + ".type";
		if (type == null) {
			return OpenAiEntryModelFactory.PROVIDER;
		}
		String name = type.trim().toLowerCase(Locale.ROOT);
		if (name.isEmpty()) {
			throw new InvalidFallbackConfigurationException(property, "the property is set but empty",
					"Set " + property + " to one of " + endpointProviders() + ", or remove it (the default is "
							+ OpenAiEntryModelFactory.PROVIDER + ").");
		}
		if (!this.byName.containsKey(name) || ChatModelEntryModelFactory.PROVIDER.equals(name)) {
			throw new InvalidFallbackConfigurationException(property,
					"no provider named '" + type + "' is available (the providers are " + endpointProviders() + ")",
					"Set " + property + " to one of " + endpointProviders() + ", or add an EntryModelFactory bean "
							+ "whose provider() is '" + name + "'.");
		}
		return name;
	}

	/** The factory of this name, which {@link #require} checked. */
	EntryModelFactory get(String name) {
		EntryModelFactory factory = this.byName.get(name);
		if (factory == null) {
			throw new IllegalStateException("No EntryModelFactory for the provider '" + name + "'");
		}
		return factory;
	}

	/** The providers a provider's type may name: every factory but the ChatModel beans'. */
	private TreeSet<String> endpointProviders() {
		TreeSet<String> names = new TreeSet<>(this.byName.keySet());
		names.remove(ChatModelEntryModelFactory.PROVIDER);
		return names;
	}

}

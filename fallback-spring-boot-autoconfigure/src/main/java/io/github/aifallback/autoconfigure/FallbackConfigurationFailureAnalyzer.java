package io.github.aifallback.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Turns an {@link InvalidFallbackConfigurationException} into a start-up report that names
 * the property, where its value came from (file and line, environment variable) when Spring
 * Boot knows it, and the fix, instead of a stack trace. The value itself is never shown: it
 * may be a key.
 */
class FallbackConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidFallbackConfigurationException> {

	private final Environment environment;

	/** Without an environment: no origins. */
	FallbackConfigurationFailureAnalyzer() {
		this(null);
	}

	/**
	 * The constructor Spring Boot uses: it passes the failed application's environment.
	 * @param environment where the properties were read, or {@code null}
	 */
	public FallbackConfigurationFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidFallbackConfigurationException cause) {
		StringBuilder description = new StringBuilder("The AI fallback chain is misconfigured.\n\n    Property: ")
			.append(cause.getProperty());
		String origin = origin(cause.getProperty());
		if (origin != null) {
			description.append("\n    Origin:   ").append(origin);
		}
		description.append("\n    Problem:  ").append(cause.getProblem());
		return new FailureAnalysis(description.toString(), cause.getFix(), cause);
	}

	/**
	 * Where the property's value came from; for a base URL or key that is missing, where its
	 * other half came from. Only the origin (resource and line, or the variable's name),
	 * never the value.
	 */
	String origin(String property) {
		String origin = originOf(property);
		if (origin == null && property.endsWith(".api-key")) {
			String sibling = property.substring(0, property.length() - ".api-key".length()) + ".base-url";
			origin = withSibling(sibling, originOf(sibling));
		}
		else if (origin == null && property.endsWith(".base-url")) {
			String sibling = property.substring(0, property.length() - ".base-url".length()) + ".api-key";
			origin = withSibling(sibling, originOf(sibling));
		}
		return origin;
	}

	private static String withSibling(String sibling, String origin) {
		return (origin != null) ? origin + " (of " + sibling + ")" : null;
	}

	private String originOf(String property) {
		if (!(this.environment instanceof ConfigurableEnvironment configurable) || property == null) {
			return null;
		}
		ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(property);
		if (name == null) {
			// Header names may hold capitals, which a canonical name does not.
			name = ConfigurationPropertyName.ofIfValid(property.toLowerCase(java.util.Locale.ROOT));
		}
		if (name == null) {
			return null;
		}
		try {
			for (ConfigurationPropertySource source : ConfigurationPropertySources.get(configurable)) {
				ConfigurationProperty found = source.getConfigurationProperty(name);
				if (found != null) {
					return (found.getOrigin() != null) ? found.getOrigin().toString() : null;
				}
			}
		}
		catch (RuntimeException ex) {
			// The report must still be written: without the origin.
		}
		return null;
	}

}

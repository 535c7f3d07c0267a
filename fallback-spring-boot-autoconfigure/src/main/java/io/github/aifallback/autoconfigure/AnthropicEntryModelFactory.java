package io.github.aifallback.autoconfigure;

import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.anthropic.AnthropicEntryModel;
import io.github.aifallback.chat.deployment.RateLimitState;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.util.ClassUtils;

/**
 * Anthropic's Messages API through spring-ai-anthropic (optional: its absence fails start-up
 * only for an application that has an anthropic provider). Its URL and key come as a pair
 * from the entry or its provider: never from {@code spring.ai.openai.*}, never from the
 * SDK's {@code ANTHROPIC_*} environment variables.
 */
final class AnthropicEntryModelFactory implements EntryModelFactory {

	static final String PROVIDER = "anthropic";

	private static final String ANTHROPIC_MODEL_CLASS = "org.springframework.ai.anthropic.AnthropicChatModel";

	private final ObservationRegistry observationRegistry;

	AnthropicEntryModelFactory(ObservationRegistry observationRegistry) {
		this.observationRegistry = observationRegistry;
	}

	@Override
	public String provider() {
		return PROVIDER;
	}

	@Override
	public EntryModel create(ResolvedEndpoint endpoint, RateLimitState rateLimits) {
		// The thread's class loader: the application's (a test's filtered one included).
		if (!ClassUtils.isPresent(ANTHROPIC_MODEL_CLASS, null)) {
			String property = endpoint.providerTypeProperty();
			throw new InvalidFallbackConfigurationException(property,
					"the provider's type is anthropic but spring-ai-anthropic is not on the classpath",
					"Add the dependency org.springframework.ai:spring-ai-anthropic (its version comes with the "
							+ "Spring AI BOM), or set " + property + "=openai.");
		}
		return AnthropicEntryModel.builder()
			.baseUrl(endpoint.baseUrl())
			.apiKey(endpoint.apiKey())
			.headers(endpoint.headers())
			.forwardHeaders(endpoint.forwardHeaders())
			.model(endpoint.model())
			.timeout(endpoint.timeout())
			.observationRegistry(this.observationRegistry)
			.rateLimits(rateLimits)
			.maxResponseBytes(endpoint.maxResponseBytes())
			.build();
	}

}

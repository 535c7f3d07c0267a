package io.github.aifallback.autoconfigure;

import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.deployment.RateLimitState;

/**
 * Builds the model of one endpoint of a chain entry for one kind of provider: OpenAI's
 * Chat Completions API ({@code openai}), Anthropic's Messages API ({@code anthropic}), an
 * application's Spring AI {@code ChatModel} bean ({@code chat-model}). Every bean of this
 * type is a provider that {@code ai.fallback.providers.<key>.type} may name: a new vendor is
 * a new class, registered as a {@code @Bean}.
 * <p>
 * The settings it receives were resolved and checked once, at start-up: the endpoint's URL
 * and key come as a pair from one source, the timeout is the entry's own else the chain's.
 * A factory that finds something wrong throws an {@link InvalidFallbackConfigurationException}
 * naming the property to fix (start-up then fails with that message). The entry's default
 * options, its rate-limit skipping and its deployments are added around the model by the
 * auto-configuration, whatever the provider.
 *
 * @since 0.1.0
 */
public interface EntryModelFactory {

	/**
	 * The provider's name, as {@code ai.fallback.providers.<key>.type} names it: lower
	 * case, unique among the factories.
	 * @return the name, e.g. {@code openai}
	 */
	String provider();

	/**
	 * The model of one endpoint.
	 * @param endpoint what to build, its settings resolved and checked
	 * @param rateLimits where the model records the provider's rate-limit headers, or
	 * {@code null} when the chain does not read them
	 * @return the entry's model
	 * @throws InvalidFallbackConfigurationException naming the property to fix
	 */
	EntryModel create(ResolvedEndpoint endpoint, RateLimitState rateLimits);

}

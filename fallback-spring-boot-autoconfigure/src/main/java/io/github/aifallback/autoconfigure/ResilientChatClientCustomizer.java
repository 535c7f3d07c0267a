package io.github.aifallback.autoconfigure;

import io.github.aifallback.chat.ResilientChatClient;

/**
 * Customizes the auto-configured {@link ResilientChatClient} before it is built: a clock,
 * a classifier, listeners, extra entries. Beans of this type are applied in order.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ResilientChatClientCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder, already holding the configured chain
	 */
	void customize(ResilientChatClient.Builder builder);

}

package io.github.aifallback.actuate;

import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.chat.ResilientChatClient;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the {@code aifallback} endpoint, and its web extension, when the
 * application exposes it.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = FallbackAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class, ResilientChatClient.class })
@ConditionalOnBean(ResilientChatClient.class)
public class FallbackEndpointAutoConfiguration {

	// Method-level: Actuator's own conditions are evaluated only once its classes are known present.
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(FallbackEndpoint.class)
	FallbackEndpoint fallbackEndpoint(ResilientChatClient client) {
		return new FallbackEndpoint(client);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	FallbackEndpointWebExtension fallbackEndpointWebExtension(FallbackEndpoint endpoint) {
		return new FallbackEndpointWebExtension(endpoint);
	}

}

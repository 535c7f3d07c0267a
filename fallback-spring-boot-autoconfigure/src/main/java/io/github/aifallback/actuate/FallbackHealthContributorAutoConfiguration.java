package io.github.aifallback.actuate;

import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.autoconfigure.FallbackHealthProperties;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.fleet.FleetLink;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the {@code aiFallback} health contributor, one child per chain entry;
 * {@code management.health.aifallback.enabled=false} turns it off.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = FallbackAutoConfiguration.class)
@ConditionalOnClass({ HealthContributor.class, ResilientChatClient.class })
@ConditionalOnBean(ResilientChatClient.class)
@EnableConfigurationProperties(FallbackHealthProperties.class)
public class FallbackHealthContributorAutoConfiguration {

	// The bean's name, less its "HealthContributor" suffix, is the health path: /actuator/health/aiFallback.
	// Method-level: Boot's health condition is evaluated only once its classes are known present.
	@Bean
	@ConditionalOnMissingBean(name = "aiFallbackHealthContributor")
	@ConditionalOnEnabledHealthIndicator("aifallback")
	FallbackHealthContributor aiFallbackHealthContributor(ResilientChatClient client,
			FallbackHealthProperties properties, ObjectProvider<FleetLink> fleetLink) {
		return new FallbackHealthContributor(client, properties, fleetLink.getIfUnique());
	}

}

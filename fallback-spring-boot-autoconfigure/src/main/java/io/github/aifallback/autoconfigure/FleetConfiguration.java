package io.github.aifallback.autoconfigure;

import io.github.aifallback.chat.circuit.SharedCircuitState;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * With {@code ai.fallback.fleet.enabled=true}, the circuit state shared over the
 * application's Redis connection; without Spring Data Redis or a
 * {@link RedisConnectionFactory} bean, start-up fails naming the property. With
 * {@code ai.fallback.fleet.retry-budget=true} too, the same exchange shares each entry's
 * retry budget.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "ai.fallback.fleet.enabled")
class FleetConfiguration {

	private static final String PROPERTY = "ai.fallback.fleet.enabled";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.data.redis.connection.RedisConnectionFactory")
	static class RedisFleet {

		// The concrete type, so that health and metrics find its FleetLink by type.
		@Bean
		@ConditionalOnMissingBean(SharedCircuitState.class)
		RedisFleetCircuitState aiFallbackSharedCircuitState(FallbackProperties properties,
				ObjectProvider<RedisConnectionFactory> connectionFactories) {
			FallbackProperties.Fleet fleet = properties.getFleet();
			ChainFactory.requirePositive("ai.fallback.fleet.timeout", fleet.getTimeout());
			ChainFactory.requirePositive("ai.fallback.fleet.refresh-interval", fleet.getRefreshInterval());
			ChainFactory.requirePositive("ai.fallback.fleet.probe-lease", fleet.getProbeLease());
			RedisConnectionFactory connections = connectionFactories.getIfUnique();
			if (connections == null) {
				throw new InvalidFallbackConfigurationException(PROPERTY,
						"no single RedisConnectionFactory bean exists to share circuit state over",
						"Configure Redis (spring-boot-starter-data-redis and spring.data.redis.*), or set " + PROPERTY
								+ "=false to keep each instance's circuits to itself.");
			}
			return new RedisFleetCircuitState(connections, fleet.getKeyPrefix(), fleet.getTimeout(),
					fleet.getRefreshInterval(), fleet.getProbeLease(), fleet.isRetryBudget());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.data.redis.connection.RedisConnectionFactory")
	static class NoRedis {

		@Bean
		SharedCircuitState aiFallbackSharedCircuitState() {
			throw new InvalidFallbackConfigurationException(PROPERTY, "Spring Data Redis is not on the classpath",
					"Add spring-boot-starter-data-redis and configure spring.data.redis.*, or set " + PROPERTY
							+ "=false to keep each instance's circuits to itself.");
		}

	}

}

package io.github.aifallback.autoconfigure;

import io.github.aifallback.chat.fleet.KeyHmac;
import io.github.aifallback.chat.fleet.RedisFleetCircuitState;
import io.github.aifallback.chat.fleet.FleetLink;
import io.github.aifallback.chat.circuit.SharedCircuitState;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
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

	private static final String SECRET = "ai.fallback.fleet.secret";

	private static final String DEFAULT_PREFIX = "ai-fallback:fleet:";

	private static final Logger logger = LoggerFactory.getLogger(FleetConfiguration.class);

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.data.redis.connection.RedisConnectionFactory")
	static class RedisFleet {

		// The concrete type, so that health and metrics find its FleetLink by type.
		@Bean
		@ConditionalOnMissingBean(SharedCircuitState.class)
		RedisFleetCircuitState aiFallbackSharedCircuitState(FallbackProperties properties,
				ObjectProvider<RedisConnectionFactory> connectionFactories, Environment environment) {
			FleetProperties fleet = properties.getFleet();
			Require.positive("ai.fallback.fleet.timeout", fleet.getTimeout());
			Require.positive("ai.fallback.fleet.refresh-interval", fleet.getRefreshInterval());
			Require.positive("ai.fallback.fleet.probe-lease", fleet.getProbeLease());
			RedisConnectionFactory connections = connectionFactories.getIfUnique();
			if (connections == null) {
				throw new InvalidFallbackConfigurationException(PROPERTY,
						"no single RedisConnectionFactory bean exists to share circuit state over",
						"Configure Redis (spring-boot-starter-data-redis and spring.data.redis.*), or set " + PROPERTY
								+ "=false to keep each instance's circuits to itself.");
			}
			return new RedisFleetCircuitState(connections, keyPrefix(fleet, environment), fleet.getTimeout(),
					fleet.getRefreshInterval(), fleet.getProbeLease(), fleet.isRetryBudget(), secret(properties));
		}

		/**
		 * The fleet's own secret, else the shared cache's: records must be signed, or any
		 * writer to Redis could steer every instance's circuits.
		 */
		private static KeyHmac secret(FallbackProperties properties) {
			String secret = properties.getFleet().getSecret();
			if (secret == null || secret.isEmpty()) {
				secret = properties.getCache().getKeySecret();
			}
			if (secret == null || secret.isEmpty()) {
				throw new InvalidFallbackConfigurationException(SECRET,
						"the fleet's records in Redis must be signed, and no secret is set",
						"Set " + SECRET + " (or ai.fallback.cache.key-secret) to a random value of at least "
								+ KeyHmac.MIN_SECRET_BYTES + " bytes (for example 'openssl rand -base64 48'), the same on "
								+ "every instance, or set " + PROPERTY + "=false.");
			}
			try {
				return KeyHmac.of(secret);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidFallbackConfigurationException(SECRET, "the secret is " + ex.getMessage(),
						"Set " + SECRET + " to a random value of at least " + KeyHmac.MIN_SECRET_BYTES
								+ " bytes (for example 'openssl rand -base64 48'), the same on every instance.");
			}
		}

		/** Per application unless set: two applications on one Redis must not share circuits by accident. */
		static String keyPrefix(FleetProperties fleet, Environment environment) {
			if (fleet.getKeyPrefix() != null && !fleet.getKeyPrefix().isEmpty()) {
				return fleet.getKeyPrefix();
			}
			String application = environment.getProperty("spring.application.name");
			if (application == null || application.isBlank()) {
				logger.warn("AI fallback: neither ai.fallback.fleet.key-prefix nor spring.application.name is set: "
						+ "the fleet's Redis keys start with '" + DEFAULT_PREFIX + "', which every other application "
						+ "without them shares, and with it circuits of entries of the same name. Set "
						+ "spring.application.name or ai.fallback.fleet.key-prefix.");
				return DEFAULT_PREFIX;
			}
			return "ai-fallback:" + application.trim() + ":fleet:";
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

package io.github.aifallback.actuate;

import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.autoconfigure.FleetLink;
import io.github.aifallback.autoconfigure.ResilientChatClientCustomizer;
import io.github.aifallback.chat.ResilientChatClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the chain's metrics when a Micrometer {@link MeterRegistry} exists: a
 * customizer that adds a {@link FallbackMetricsListener} to the auto-configured client, and
 * the {@link CircuitStateMetrics} gauges, and the fleet link's gauge when a fleet is on.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = FallbackAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, ResilientChatClient.class })
@ConditionalOnBean(MeterRegistry.class)
public class FallbackMetricsAutoConfiguration {

	/**
	 * The name of the fleet link's gauge.
	 * @since 0.2.0
	 */
	public static final String FLEET_LINK = "ai.fallback.fleet.link";

	@Bean
	@ConditionalOnMissingBean(name = "fallbackMetricsCustomizer")
	ResilientChatClientCustomizer fallbackMetricsCustomizer(MeterRegistry registry) {
		FallbackMetricsListener listener = new FallbackMetricsListener(registry);
		return (builder) -> builder.listener(listener);
	}

	/**
	 * {@code ai.fallback.fleet.link}: {@code 1} while this instance's link to the fleet is up,
	 * {@code 0} while it decides alone.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "fallbackFleetLinkMetrics")
	@ConditionalOnBean(FleetLink.class)
	MeterBinder fallbackFleetLinkMetrics(FleetLink link) {
		return (registry) -> Gauge.builder(FLEET_LINK, link, (measured) -> measured.isUp() ? 1 : 0)
			.description("Whether this instance's link to the AI fallback fleet is up: 1 up, 0 down")
			.register(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ResilientChatClient.class)
	CircuitStateMetrics fallbackCircuitStateMetrics(ResilientChatClient client) {
		return new CircuitStateMetrics(client);
	}

}

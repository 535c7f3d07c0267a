package io.github.aifallback.actuate;

import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.chat.fleet.FleetLink;
import io.github.aifallback.autoconfigure.ResilientChatClientCustomizer;
import io.github.aifallback.chat.ResilientChatClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the chain's metrics when a Micrometer {@link MeterRegistry} exists: a
 * customizer that adds a {@link FallbackMetricsListener} to the auto-configured client (and
 * makes sure its observations become timers), the {@link CircuitStateMetrics} gauges, and
 * the fleet link's gauge when a fleet is on. Every meter is listed in
 * {@code docs/metrics.md}.
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
	 * @since 0.1.0
	 */
	public static final String FLEET_LINK = "ai.fallback.fleet.link";

	/**
	 * The listener counting the chain's events, and, in an application without an
	 * {@link ObservationRegistry} bean, a registry of the client's own that turns its
	 * observations into the {@code ai.fallback.call} and {@code ai.fallback.attempt}
	 * timers: those timers are the only meters of calls and attempts, so they must exist
	 * whenever metrics do.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "fallbackMetricsCustomizer")
	ResilientChatClientCustomizer fallbackMetricsCustomizer(MeterRegistry registry,
			ObjectProvider<ObservationRegistry> observationRegistry) {
		FallbackMetricsListener listener = new FallbackMetricsListener(registry);
		boolean applicationObserves = observationRegistry.getIfUnique() != null;
		return (builder) -> {
			builder.listener(listener);
			if (!applicationObserves) {
				ObservationRegistry timers = ObservationRegistry.create();
				timers.observationConfig().observationHandler(new DefaultMeterObservationHandler(registry));
				builder.observationRegistry(timers);
			}
		};
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

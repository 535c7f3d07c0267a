package io.github.aifallback.actuate;

import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.autoconfigure.ResilientChatClientCustomizer;
import io.github.aifallback.chat.ResilientChatClient;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the chain's metrics when a Micrometer {@link MeterRegistry} exists: a
 * customizer that adds a {@link FallbackMetricsListener} to the auto-configured client, and
 * the {@link CircuitStateMetrics} gauges.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = FallbackAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, ResilientChatClient.class })
@ConditionalOnBean(MeterRegistry.class)
public class FallbackMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "fallbackMetricsCustomizer")
	ResilientChatClientCustomizer fallbackMetricsCustomizer(MeterRegistry registry) {
		FallbackMetricsListener listener = new FallbackMetricsListener(registry);
		return (builder) -> builder.listener(listener);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ResilientChatClient.class)
	CircuitStateMetrics fallbackCircuitStateMetrics(ResilientChatClient client) {
		return new CircuitStateMetrics(client);
	}

}

package io.github.aifallback.actuate.dashboard;

import java.time.Clock;

import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.autoconfigure.FallbackProperties;
import io.github.aifallback.autoconfigure.DashboardProperties;
import io.github.aifallback.chat.fleet.FleetLink;
import io.github.aifallback.autoconfigure.ResilientChatClientCustomizer;
import io.github.aifallback.chat.ResilientChatClient;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Auto-configures the live dashboard ({@code ai.fallback.dashboard.enabled=true}) in a
 * Spring MVC application: a listener on the auto-configured client that keeps a rolling
 * window of its events, and the routes of the page under {@code ai.fallback.dashboard.path}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = FallbackAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ RouterFunction.class, ResilientChatClient.class })
@ConditionalOnBooleanProperty("ai.fallback.dashboard.enabled")
@ConditionalOnBean({ ResilientChatClient.class, FallbackProperties.class })
public class FallbackDashboardAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DashboardStats fallbackDashboardStats() {
		return new DashboardStats(Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean(name = "fallbackDashboardCustomizer")
	ResilientChatClientCustomizer fallbackDashboardCustomizer(DashboardStats stats) {
		return (builder) -> builder.listener(stats);
	}

	@Bean
	@ConditionalOnMissingBean(name = "fallbackDashboardRoutes")
	RouterFunction<ServerResponse> fallbackDashboardRoutes(ResilientChatClient client, DashboardStats stats,
			FallbackProperties properties, BeanFactory beanFactory, Environment environment,
			ObjectProvider<FleetLink> fleetLink) {
		DashboardProperties dashboard = properties.getDashboard();
		return new DashboardRoutes(client, stats, DashboardAccess.writable(beanFactory, environment),
				dashboard.getPath(), dashboard.getRefreshInterval(), fleetLink.getIfAvailable())
			.routes();
	}

}

package io.github.aifallback.actuate.dashboard;

import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.autoconfigure.InvalidFallbackConfigurationException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.web.servlet.function.RouterFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the dashboard is auto-configured (only when enabled, in a Spring MVC application),
 * and how it reads the {@code aifallback} endpoint's write access.
 */
class FallbackDashboardAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(FallbackAutoConfiguration.class, FallbackDashboardAutoConfiguration.class))
		.withPropertyValues("spring.ai.openai.api-key=k", "ai.fallback.chain[0].model=model-a");

	@Test
	void whenTheDashboardIsNotEnabledThenNothingIsAdded() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(DashboardStats.class)
			.doesNotHaveBean("fallbackDashboardRoutes"));
	}

	@Test
	void whenEnabledInAServletApplicationThenTheListenerAndTheRoutesAreAdded() {
		this.runner.withPropertyValues("ai.fallback.dashboard.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(DashboardStats.class)
				.hasBean("fallbackDashboardCustomizer")
				.hasBean("fallbackDashboardRoutes"));
	}

	@Test
	void whenEnabledOutsideAWebApplicationThenNothingIsAdded() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(FallbackAutoConfiguration.class, FallbackDashboardAutoConfiguration.class))
			.withPropertyValues("spring.ai.openai.api-key=k", "ai.fallback.chain[0].model=model-a",
					"ai.fallback.dashboard.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardStats.class));
	}

	@Test
	void whenSpringMvcIsMissingThenTheClientStartsWithoutTheDashboard() {
		this.runner.withClassLoader(new FilteredClassLoader(RouterFunction.class))
			.withPropertyValues("ai.fallback.dashboard.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardStats.class));
	}

	@Test
	void whenThePathIsUnsafeThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("ai.fallback.dashboard.enabled=true", "ai.fallback.dashboard.path=/a\"><b>/")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidFallbackConfigurationException.class)
				.hasMessageContaining("ai.fallback.dashboard.path"));
	}

	@Test
	void whenTheRefreshIntervalIsTooShortThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("ai.fallback.dashboard.enabled=true", "ai.fallback.dashboard.refresh-interval=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("ai.fallback.dashboard.refresh-interval"));
	}

	@Test
	void whenThereIsNoAccessResolverThenOnlyTheUnrestrictedPropertyGrantsWrites() {
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();

		assertThat(DashboardAccess.writable(beans, new MockEnvironment())).isFalse();
		assertThat(DashboardAccess.writable(beans,
				new MockEnvironment().withProperty(DashboardAccess.ACCESS_PROPERTY, "read-only")))
			.isFalse();
		assertThat(DashboardAccess.writable(beans,
				new MockEnvironment().withProperty(DashboardAccess.ACCESS_PROPERTY, "unrestricted")))
			.isTrue();
		assertThat(DashboardAccess.writable(beans,
				new MockEnvironment().withProperty(DashboardAccess.ACCESS_PROPERTY, "UNRESTRICTED")))
			.isTrue();
	}

	@Test
	void whenActuatorsAccessResolverExistsThenItDecidesOverTheProperty() {
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		beans.registerSingleton("resolver", (EndpointAccessResolver) (id, defaultAccess) -> Access.READ_ONLY);
		MockEnvironment granted = new MockEnvironment().withProperty(DashboardAccess.ACCESS_PROPERTY, "unrestricted");

		assertThat(DashboardAccess.writable(beans, granted)).isFalse();

		DefaultListableBeanFactory unrestricted = new DefaultListableBeanFactory();
		unrestricted.registerSingleton("resolver",
				(EndpointAccessResolver) (id, defaultAccess) -> id.toString().equals("aifallback")
						? Access.UNRESTRICTED : Access.NONE);
		assertThat(DashboardAccess.writable(unrestricted, new MockEnvironment())).isTrue();
	}

}

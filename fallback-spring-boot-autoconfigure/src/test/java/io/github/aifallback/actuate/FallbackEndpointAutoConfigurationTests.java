package io.github.aifallback.actuate;

import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the {@code aifallback} endpoint is auto-configured: only when the application exposes
 * it, and never without Actuator.
 */
class FallbackEndpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(FallbackAutoConfiguration.class, FallbackEndpointAutoConfiguration.class))
		.withPropertyValues("spring.ai.openai.api-key=k", "ai.fallback.chain[0].model=model-a");

	@Test
	void whenTheEndpointIsNotExposedThenThereIsNoEndpointBean() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(FallbackEndpoint.class));
	}

	@Test
	void whenTheEndpointIsExposedOnTheWebThenItIsCreated() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=health,aifallback")
			.run((context) -> assertThat(context).hasSingleBean(FallbackEndpoint.class)
				.hasSingleBean(FallbackEndpointWebExtension.class));
	}

	@Test
	void whenTheEndpointIsExposedOnJmxOnlyThenThereIsNoWebExtension() {
		this.runner.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=aifallback")
			.run((context) -> assertThat(context).hasSingleBean(FallbackEndpoint.class)
				.doesNotHaveBean(FallbackEndpointWebExtension.class));
	}

	@Test
	void whenTheEndpointIsExposedButDisabledThenThereIsNoEndpointBean() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=aifallback",
					"management.endpoint.aifallback.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(FallbackEndpoint.class));
	}

	@Test
	void whenThereIsNoResilientChatClientThenThereIsNoEndpointBean() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=aifallback", "ai.fallback.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(FallbackEndpoint.class));
	}

	@Test
	void whenActuatorIsMissingThenTheClientStartsWithoutTheEndpoint() {
		this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=aifallback")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ResilientChatClient.class)
				.doesNotHaveBean(FallbackEndpoint.class));
	}

}

package io.github.aifallback.actuate;

import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.autoconfigure.FallbackHealthProperties;
import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter without Actuator and Micrometer: the client starts and nothing of theirs is
 * configured.
 */
class OptionalLibrariesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class,
				FallbackHealthContributorAutoConfiguration.class, FallbackEndpointAutoConfiguration.class,
				FallbackMetricsAutoConfiguration.class))
		.withPropertyValues("spring.ai.openai.api-key=k", "ai.fallback.chain[0].model=model-a",
				"management.endpoints.web.exposure.include=*");

	@Test
	void whenActuatorHealthAndMicrometerAreAllMissingThenOnlyTheClientIsConfigured() {
		this.runner
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
					"org.springframework.boot.health", "io.micrometer"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ResilientChatClient.class)
				.doesNotHaveBean(FallbackHealthContributor.class)
				.doesNotHaveBean(FallbackEndpoint.class)
				.doesNotHaveBean(CircuitStateMetrics.class)
				.doesNotHaveBean(FallbackHealthProperties.class));
	}

	@Test
	void whenTheyArePresentThenHealthAndTheEndpointAreConfigured() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(FallbackHealthContributor.class)
			.hasSingleBean(FallbackEndpoint.class));
	}

}

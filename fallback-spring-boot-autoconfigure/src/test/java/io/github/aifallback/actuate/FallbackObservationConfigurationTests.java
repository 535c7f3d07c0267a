package io.github.aifallback.actuate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.observation.DefaultFallbackAttemptObservationConvention;
import io.github.aifallback.chat.observation.DefaultFallbackCallObservationConvention;
import io.github.aifallback.chat.observation.FallbackAttemptObservationConvention;
import io.github.aifallback.chat.observation.FallbackCallObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configured client observes its calls through the application's
 * {@link ObservationRegistry}, named by the application's conventions when it has some.
 */
class FallbackObservationConfigurationTests {

	private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withPropertyValues("spring.ai.openai.api-key=k", "ai.fallback.chain[0].model=configured")
		.withBean(FakeChain.class, () -> new FakeChain("primary"))
		.withBean(ObservationRegistry.class, this::registry);

	private ObservationRegistry registry() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStop(Observation.Context context) {
				FallbackObservationConfigurationTests.this.stopped.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
		return registry;
	}

	@Test
	void whenTheApplicationHasAnObservationRegistryThenTheClientObservesItsCalls() {
		this.runner.run((context) -> {
			context.getBean(ResilientChatClient.class).call(new Prompt("hi"));

			assertThat(this.stopped).extracting(Observation.Context::getName)
				.containsExactly("ai.fallback.attempt", "ai.fallback.call");
		});
	}

	@Test
	void whenTheApplicationHasConventionBeansThenTheyNameTheObservations() {
		this.runner
			.withBean(FallbackCallObservationConvention.class, () -> new DefaultFallbackCallObservationConvention() {

				@Override
				public String getName() {
					return "shop.call";
				}

			})
			.withBean(FallbackAttemptObservationConvention.class,
					() -> new DefaultFallbackAttemptObservationConvention() {

						@Override
						public String getName() {
							return "shop.attempt";
						}

					})
			.run((context) -> {
				context.getBean(ResilientChatClient.class).call(new Prompt("hi"));

				assertThat(this.stopped).extracting(Observation.Context::getName)
					.containsExactly("shop.attempt", "shop.call");
			});
	}

}

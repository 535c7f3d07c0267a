package io.github.aifallback.sample;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link SimulatorEnvironmentPostProcessor}.
 */
class SimulatorEnvironmentPostProcessorTests {

	private final SimulatorEnvironmentPostProcessor postProcessor = new SimulatorEnvironmentPostProcessor(
			Supplier::get);

	private final SpringApplication application = new SpringApplication();

	@Test
	void whenEnabledByDefaultThenTheSimulatorListensUntilTheContextCloses() {
		MockEnvironment environment = new MockEnvironment();
		this.postProcessor.postProcessEnvironment(environment, this.application);
		String baseUrl = environment.getProperty(SimulatorEnvironmentPostProcessor.BASE_URL);
		assertThat(baseUrl).matches("http://127\\.0\\.0\\.1:\\d+/v1");
		int port = URI.create(baseUrl).getPort();
		assertThat(accepts(port)).isTrue();
		closeContext();
		assertThat(accepts(port)).isFalse();
	}

	@Test
	void whenTheApplicationStopsThenTheSimulatorStops() {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.web(WebApplicationType.NONE)
			.run("--spring.main.banner-mode=off");
		int port = URI.create(context.getEnvironment().getProperty(SimulatorEnvironmentPostProcessor.BASE_URL))
			.getPort();
		assertThat(accepts(port)).isTrue();
		context.close();
		assertThat(accepts(port)).isFalse();
	}

	@Test
	void whenDisabledThenNothingStarts() {
		MockEnvironment environment = new MockEnvironment().withProperty(SimulatorEnvironmentPostProcessor.ENABLED,
				"false");
		this.postProcessor.postProcessEnvironment(environment, this.application);
		assertThat(environment.containsProperty(SimulatorEnvironmentPostProcessor.BASE_URL)).isFalse();
		assertThat(this.application.getListeners()).noneMatch(
				(listener) -> listener.getClass().getEnclosingClass() == SimulatorEnvironmentPostProcessor.class);
	}

	@Test
	void whenTheFailureRateIsOutOfRangeThenStartUpFailsNamingTheProperty() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty(SimulatorEnvironmentPostProcessor.PRIMARY_FAILURE_RATE, "1.5");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.postProcessor.postProcessEnvironment(environment, this.application))
			.withMessageContaining("sample.simulator.primary-failure-rate");
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void closeContext() {
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			ContextClosedEvent event = new ContextClosedEvent(context);
			this.application.getListeners()
				.stream()
				.filter((listener) -> listener.getClass().getEnclosingClass() == SimulatorEnvironmentPostProcessor.class)
				.forEach((listener) -> ((ApplicationListener) listener).onApplicationEvent(event));
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}

package io.github.aifallback.sample;

import java.util.Map;

import org.apache.commons.logging.Log;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the {@link ProviderSimulator} before any bean exists, so that the chain configured in
 * {@code application.yml} can point at {@code ${sample.simulator.base-url}}, and stops it with
 * the application context.
 * <p>
 * Runs after the configuration files are loaded (lowest precedence), so a profile such as
 * {@code real} can turn it off with {@code sample.simulator.enabled=false}.
 */
public class SimulatorEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String ENABLED = "sample.simulator.enabled";

	static final String PRIMARY_FAILURE_RATE = "sample.simulator.primary-failure-rate";

	static final String BASE_URL = "sample.simulator.base-url";

	static final String ANTHROPIC_BASE_URL = "sample.simulator.anthropic-base-url";

	static final String PROPERTY_SOURCE_NAME = "sampleProviderSimulator";

	private final Log log;

	public SimulatorEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.log = logFactory.getLog(SimulatorEnvironmentPostProcessor.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty(ENABLED, Boolean.class, true)
				|| environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			return;
		}
		double failureRate = environment.getProperty(PRIMARY_FAILURE_RATE, Double.class, 0.5);
		if (!(failureRate >= 0.0 && failureRate <= 1.0)) {
			throw new IllegalStateException(
					PRIMARY_FAILURE_RATE + " must be between 0.0 and 1.0, was " + failureRate);
		}
		ProviderSimulator simulator = new ProviderSimulator(failureRate).start();
		environment.getPropertySources()
			.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME,
					Map.of(BASE_URL, simulator.baseUrl(), ANTHROPIC_BASE_URL, simulator.anthropicBaseUrl())));
		application.addListeners(new StopSimulator(simulator));
		this.log.info("Provider simulator listening at " + simulator.baseUrl() + " (sim-primary fails "
				+ Math.round(failureRate * 100) + "% of calls)");
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/**
	 * Stops the simulator when the application's root context closes or fails to start.
	 */
	private record StopSimulator(ProviderSimulator simulator) implements ApplicationListener<ApplicationEvent> {

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			boolean rootClosed = event instanceof ContextClosedEvent closed
					&& closed.getApplicationContext().getParent() == null;
			if (rootClosed || event instanceof ApplicationFailedEvent) {
				this.simulator.close();
			}
		}

	}

}

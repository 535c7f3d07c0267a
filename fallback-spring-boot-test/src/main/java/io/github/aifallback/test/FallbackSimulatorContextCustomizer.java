package io.github.aifallback.test;

import io.github.aifallback.autoconfigure.ResilientChatClientCustomizer;
import io.github.aifallback.chat.ResilientChatClient;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts a simulator for one test context, before its beans exist: redirects the chain,
 * registers the simulator and the clock as beans, and stops the simulator with the context.
 * All instances are equal, so that Spring's test context cache shares one context between
 * test classes that differ only by this customizer's presence on both.
 */
final class FallbackSimulatorContextCustomizer implements ContextCustomizer {

	static final String PROPERTY_SOURCE = "fallbackSimulator";

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
		FallbackSimulator simulator = FallbackSimulator.start();
		try {
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource(PROPERTY_SOURCE,
						ChainRedirect.properties(context.getEnvironment(), simulator)));
		}
		catch (RuntimeException ex) {
			simulator.close();
			throw ex;
		}
		FallbackTestClock clock = new FallbackTestClock();
		ConfigurableListableBeanFactory beans = context.getBeanFactory();
		beans.registerSingleton("fallbackSimulator", simulator);
		beans.registerSingleton("fallbackTestClock", clock);
		beans.registerSingleton("fallbackTestClockCustomizer", new ClockCustomizer(clock));
		if (beans instanceof DefaultSingletonBeanRegistry registry) {
			registry.registerDisposableBean("fallbackSimulatorCloser", simulator::close);
		}
		else {
			context.addApplicationListener((ContextClosedEvent event) -> simulator.close());
		}
	}

	@Override
	public boolean equals(Object other) {
		return other != null && other.getClass() == getClass();
	}

	@Override
	public int hashCode() {
		return getClass().hashCode();
	}

	/**
	 * Runs first, so that an application's own customizer may still set another clock: the
	 * starter's documented hook for a clock and a sleeper.
	 */
	private record ClockCustomizer(FallbackTestClock clock) implements ResilientChatClientCustomizer, Ordered {

		@Override
		public void customize(ResilientChatClient.Builder builder) {
			builder.clock(this.clock).sleeper(this.clock);
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

}

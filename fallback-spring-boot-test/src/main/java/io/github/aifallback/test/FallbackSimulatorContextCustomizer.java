package io.github.aifallback.test;

import io.github.aifallback.autoconfigure.ResilientChatClientCustomizer;
import io.github.aifallback.chat.ResilientChatClient;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts a simulator for one test context, before its beans exist: redirects the chain,
 * registers the simulator and the clock as beans (the clock under the starter's
 * {@code aiFallbackClock} name, so that the client, its deployments and its last-good store
 * all read it), and stops the simulator with the context.
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
		// Under the starter's clock name, and injected only where asked for by that name: an
		// application's own Clock bean stays the one its code gets by type.
		RootBeanDefinition clockBean = new RootBeanDefinition(FallbackTestClock.class, () -> clock);
		clockBean.setDefaultCandidate(false);
		((BeanDefinitionRegistry) beans).registerBeanDefinition(FallbackTestClock.BEAN_NAME, clockBean);
		beans.registerSingleton("fallbackTestSleeperCustomizer", new SleeperCustomizer(clock));
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
	 * The chain's waits move the test clock instead of sleeping. Runs first, so that an
	 * application's own customizer may still set another sleeper.
	 */
	private record SleeperCustomizer(FallbackTestClock clock) implements ResilientChatClientCustomizer, Ordered {

		@Override
		public void customize(ResilientChatClient.Builder builder) {
			builder.sleeper(this.clock);
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

}

package io.github.aifallback.test;

import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitBreaker;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The JUnit 5 side of {@link AutoConfigureFallbackSimulator}: before each test, a clean
 * simulator (no script, no recorded request), no recorded wait and every circuit of the
 * chain closed, because Spring shares one context between tests; and
 * {@link FallbackSimulator} and {@link FallbackTestClock} parameters of test methods.
 *
 * @since 0.1.0
 */
public class FallbackSimulatorExtension implements BeforeEachCallback, ParameterResolver {

	@Override
	public void beforeEach(ExtensionContext context) {
		ApplicationContext application = SpringExtension.getApplicationContext(context);
		application.getBean(FallbackSimulator.class).reset();
		application.getBean(FallbackTestClock.BEAN_NAME, FallbackTestClock.class).clearWaits();
		application.getBeanProvider(ResilientChatClient.class)
			.ifAvailable((client) -> client.getCircuitBreakers().forEach(CircuitBreaker::reset));
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
		Class<?> type = parameter.getParameter().getType();
		return type == FallbackSimulator.class || type == FallbackTestClock.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
		ApplicationContext application = SpringExtension.getApplicationContext(extension);
		return (parameter.getParameter().getType() == FallbackTestClock.class)
				? application.getBean(FallbackTestClock.BEAN_NAME, FallbackTestClock.class)
				: application.getBean(FallbackSimulator.class);
	}

}

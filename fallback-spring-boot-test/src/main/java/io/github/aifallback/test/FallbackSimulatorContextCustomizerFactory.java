package io.github.aifallback.test;

import java.util.List;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Adds a {@link FallbackSimulatorContextCustomizer} to the contexts of test classes
 * annotated with {@link AutoConfigureFallbackSimulator}.
 */
class FallbackSimulatorContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return TestContextAnnotationUtils.hasAnnotation(testClass, AutoConfigureFallbackSimulator.class)
				? new FallbackSimulatorContextCustomizer() : null;
	}

}

package io.github.aifallback.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps prompts out of the logs unless {@code ai.fallback.log-prompts=true}: Spring AI's
 * {@code OpenAiChatModel} logs the whole prompt at WARN when a provider answers with no
 * choices, so its level defaults to ERROR. The default has the lowest precedence: any
 * {@code logging.level} the application sets for that logger wins.
 */
class PromptLoggingEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String LOGGER_LEVEL = "logging.level.org.springframework.ai.openai.OpenAiChatModel";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getProperty("ai.fallback.log-prompts", Boolean.class, false)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource("aiFallbackPromptLogging", Map.of(LOGGER_LEVEL, "ERROR")));
	}

}

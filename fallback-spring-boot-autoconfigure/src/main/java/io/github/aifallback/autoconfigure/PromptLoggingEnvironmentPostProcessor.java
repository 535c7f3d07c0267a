package io.github.aifallback.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps prompts and provider error bodies out of the logs unless
 * {@code ai.fallback.log-prompts=true}: Spring AI's {@code OpenAiChatModel} logs the whole
 * prompt at WARN when a provider answers with no choices, so its level defaults to ERROR;
 * its {@code MessageAggregator} logs a failed stream's exception, the provider's error body
 * in its message, at ERROR, so its level defaults to OFF (the chain logs each failed attempt
 * itself, sanitised); its {@code AnthropicChatModel} logs the prompt at WARN when an answer
 * has no content blocks and a failed stream's error at ERROR, so it defaults to OFF too.
 * The defaults have the lowest precedence: any {@code logging.level} the application sets
 * for those loggers wins.
 */
class PromptLoggingEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String LOGGER_LEVEL = "logging.level.org.springframework.ai.openai.OpenAiChatModel";

	static final String AGGREGATOR_LOGGER_LEVEL = "logging.level.org.springframework.ai.chat.model.MessageAggregator";

	static final String ANTHROPIC_LOGGER_LEVEL = "logging.level.org.springframework.ai.anthropic.AnthropicChatModel";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getProperty("ai.fallback.log-prompts", Boolean.class, false)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource("aiFallbackPromptLogging",
					Map.of(LOGGER_LEVEL, "ERROR", AGGREGATOR_LOGGER_LEVEL, "OFF", ANTHROPIC_LOGGER_LEVEL, "OFF")));
	}

}

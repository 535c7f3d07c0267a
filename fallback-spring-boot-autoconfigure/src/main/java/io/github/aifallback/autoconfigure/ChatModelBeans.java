package io.github.aifallback.autoconfigure;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;

import io.github.aifallback.chat.ResilientChatClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Finds the {@link ChatModel} bean that an entry with {@code chat-model} names, and warns at
 * start-up when that bean retries by itself.
 */
final class ChatModelBeans {

	private static final Logger logger = LoggerFactory.getLogger(ChatModelBeans.class);

	// Fields of these types hold a model's own retries: Spring Framework 7's (Spring AI 2.0)
	// and spring-retry's (older models, an application's own).
	private static final String SPRING_RETRY_TEMPLATE = "org.springframework.retry.support.RetryTemplate";

	private ChatModelBeans() {
	}

	/**
	 * The bean an entry names, checked: it exists, is a ChatModel, and is not a resilient
	 * client (the chain would call itself).
	 * @param prefix the entry's property prefix
	 * @param name the bean's name, not blank
	 */
	static ChatModel find(String prefix, String name, ListableBeanFactory beanFactory) {
		String property = prefix + ".chat-model";
		if (beanFactory == null || !beanFactory.containsBean(name)) {
			throw new InvalidFallbackConfigurationException(property, "there is no bean named '" + name + "'",
					"Set " + property + " to the name of a ChatModel bean of the application" + candidates(beanFactory)
							+ ", or add the model's starter (e.g. spring-ai-starter-model-ollama).");
		}
		if (beanFactory.isTypeMatch(name, ResilientChatClient.class)) {
			throw new InvalidFallbackConfigurationException(property,
					"the bean '" + name + "' is a resilient client: the chain would call itself",
					"Set " + property + " to a vendor's ChatModel bean" + candidates(beanFactory) + ".");
		}
		if (!beanFactory.isTypeMatch(name, ChatModel.class)) {
			throw new InvalidFallbackConfigurationException(property,
					"the bean '" + name + "' is not a Spring AI ChatModel",
					"Set " + property + " to a ChatModel bean" + candidates(beanFactory) + ".");
		}
		return beanFactory.getBean(name, ChatModel.class);
	}

	private static String candidates(ListableBeanFactory beanFactory) {
		if (beanFactory == null) {
			return "";
		}
		List<String> names = Arrays.stream(beanFactory.getBeanNamesForType(ChatModel.class, false, false))
			.filter((name) -> !beanFactory.isTypeMatch(name, ResilientChatClient.class))
			.toList();
		return names.isEmpty() ? " (there is none)" : " (ChatModel beans: " + names + ")";
	}

	/**
	 * Warns when the bean retries by itself (what can be seen: a Spring retry template with
	 * retries; an SDK's own retries inside a client cannot be seen from here).
	 */
	static void warnIfItRetries(String prefix, String beanName, ChatModel chatModel) {
		String retries;
		try {
			retries = ownRetries(chatModel);
		}
		catch (RuntimeException | LinkageError ex) {
			return;
		}
		if (retries != null) {
			logger.warn("AI fallback: the ChatModel bean '{}' of {} {}: each of the chain's attempts may then "
					+ "be several requests and last far longer than its timeout (the chain abandons it, the "
					+ "retries go on in the background). The chain is meant to be the only retry layer: turn the "
					+ "bean's retries off (for Spring AI's models, spring.ai.retry.max-attempts=0, which Spring AI "
					+ "2.0 reads as the number of retries).", beanName, prefix, retries);
		}
	}

	/** What the model's own retries are, or {@code null} when it has none that can be seen. */
	static String ownRetries(ChatModel chatModel) {
		for (Class<?> type = chatModel.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
			for (Field field : type.getDeclaredFields()) {
				if (RetryTemplate.class.isAssignableFrom(field.getType())) {
					field.setAccessible(true);
					String retries = retries((RetryTemplate) read(field, chatModel));
					if (retries != null) {
						return retries;
					}
				}
				else if (SPRING_RETRY_TEMPLATE.equals(field.getType().getName()) && read(field, chatModel) != null) {
					return "has a spring-retry RetryTemplate";
				}
			}
		}
		return null;
	}

	private static Object read(Field field, Object target) {
		try {
			field.setAccessible(true);
			return field.get(target);
		}
		catch (IllegalAccessException | RuntimeException ex) {
			return null;
		}
	}

	private static String retries(RetryTemplate template) {
		if (template == null) {
			return null;
		}
		BackOff backOff = template.getRetryPolicy().getBackOff();
		long attempts = (backOff instanceof ExponentialBackOff exponential) ? exponential.getMaxAttempts()
				: (backOff instanceof FixedBackOff fixed) ? fixed.getMaxAttempts() : -1;
		if (attempts == 0) {
			return null;
		}
		return (attempts > 0 && attempts < Long.MAX_VALUE) ? "retries up to " + attempts + " times by itself"
				: "retries by itself";
	}

}

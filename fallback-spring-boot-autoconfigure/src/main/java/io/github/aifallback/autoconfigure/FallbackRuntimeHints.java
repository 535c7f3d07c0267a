package io.github.aifallback.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * What the chain reads reflectively, for a native image: the getters (and the no-argument
 * constructor or {@code builder()}) of the vendors' chat options, which the last-good key
 * reads to put every option in canonical form; the OpenAI SDK's JSON mapper it writes SDK
 * values with. Vendors absent from the classpath are skipped. (The {@code aifallback}
 * endpoint's records need nothing here: Boot registers the return types of endpoint
 * operations itself.)
 *
 * @since 0.1.0
 */
public class FallbackRuntimeHints implements RuntimeHintsRegistrar {

	/** The options types the last-good key reads, by name: each vendor's library is optional. */
	static final List<String> OPTIONS = List.of("org.springframework.ai.chat.prompt.DefaultChatOptions",
			"org.springframework.ai.model.tool.DefaultToolCallingChatOptions",
			"org.springframework.ai.openai.OpenAiChatOptions", "org.springframework.ai.anthropic.AnthropicChatOptions",
			"org.springframework.ai.ollama.api.OllamaChatOptions");

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		List<Class<?>> options = new ArrayList<>();
		for (String name : OPTIONS) {
			if (ClassUtils.isPresent(name, classLoader)) {
				options.add(ClassUtils.resolveClassName(name, classLoader));
			}
		}
		// Getters, and the types they return, as a JSON binder would need them.
		new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(),
				options.toArray(Class<?>[]::new));
		for (Class<?> type : options) {
			hints.reflection()
				.registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
		}
		if (ClassUtils.isPresent("com.openai.core.ObjectMappers", classLoader)) {
			hints.reflection()
				.registerType(TypeReference.of("com.openai.core.ObjectMappers"), MemberCategory.INVOKE_PUBLIC_METHODS);
		}
	}

}

package io.github.aifallback.autoconfigure;

import java.time.Duration;

import io.github.aifallback.chat.entry.EntryModel;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * An entry's default options (temperature, max tokens, top-p), filled into each request
 * where the caller set none: the caller's explicit options still win, and the entry's
 * adapter still sends the entry's own model. The request's last-good key is computed
 * before, from the caller's prompt, so defaults never split the cache.
 */
final class EntryDefaultOptions extends ForwardingEntryModel {

	private final FallbackProperties.EntryOptions options;

	private EntryDefaultOptions(EntryModel delegate, FallbackProperties.EntryOptions options) {
		super(delegate);
		this.options = options;
	}

	/** The model itself when the entry sets no option. */
	static EntryModel wrap(EntryModel model, FallbackProperties.EntryOptions options,
			EntryOverrides.MergedEntry merged) {
		if (options.isEmpty()) {
			return model;
		}
		if (options.getMaxTokens() != null && options.getMaxTokens() < 1) {
			throw new InvalidFallbackConfigurationException(merged.property("options.max-tokens"),
					"the value " + options.getMaxTokens() + " is below 1", "Set it to 1 or more, or remove it.");
		}
		// A copy: the merged entry is the entry's alone, but nothing here should depend on it.
		FallbackProperties.EntryOptions copy = new FallbackProperties.EntryOptions();
		copy.setTemperature(options.getTemperature());
		copy.setMaxTokens(options.getMaxTokens());
		copy.setTopP(options.getTopP());
		return new EntryDefaultOptions(model, copy);
	}

	@Override
	public ChatResponse call(Prompt prompt, Duration timeout) {
		return delegate().call(withDefaults(prompt), timeout);
	}

	@Override
	public Flux<ChatResponse> stream(Prompt prompt, Duration timeLeft) {
		// Signalled, never thrown: a stream's failures reach the chain as signals.
		try {
			return delegate().stream(withDefaults(prompt), timeLeft);
		}
		catch (RuntimeException ex) {
			return Flux.error(ex);
		}
	}

	Prompt withDefaults(Prompt prompt) {
		ChatOptions given = prompt.getOptions();
		ChatOptions.Builder<?> builder = (given != null) ? given.mutate() : ChatOptions.builder();
		if (given == null || given.getTemperature() == null) {
			builder.temperature(this.options.getTemperature());
		}
		if (given == null || given.getMaxTokens() == null) {
			builder.maxTokens(this.options.getMaxTokens());
		}
		if (given == null || given.getTopP() == null) {
			builder.topP(this.options.getTopP());
		}
		return new Prompt(prompt.getInstructions(), builder.build());
	}

}

package io.github.aifallback.chat.model;

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
 *
 * @since 0.1.0
 */
public final class EntryDefaultOptions extends ForwardingEntryModel {

	private final Double temperature;

	private final Integer maxTokens;

	private final Double topP;

	private EntryDefaultOptions(EntryModel delegate, Double temperature, Integer maxTokens, Double topP) {
		super(delegate);
		this.temperature = temperature;
		this.maxTokens = maxTokens;
		this.topP = topP;
	}

	/**
	 * The model with these defaults, or the model itself when none is set.
	 * @param model the entry's model
	 * @param temperature the default temperature, or {@code null}
	 * @param maxTokens the default most tokens of an answer, or {@code null}
	 * @param topP the default top-p, or {@code null}
	 * @return the model that fills them in
	 * @since 0.1.0
	 */
	public static EntryModel wrap(EntryModel model, Double temperature, Integer maxTokens, Double topP) {
		if (temperature == null && maxTokens == null && topP == null) {
			return model;
		}
		return new EntryDefaultOptions(model, temperature, maxTokens, topP);
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
			builder.temperature(this.temperature);
		}
		if (given == null || given.getMaxTokens() == null) {
			builder.maxTokens(this.maxTokens);
		}
		if (given == null || given.getTopP() == null) {
			builder.topP(this.topP);
		}
		return new Prompt(prompt.getInstructions(), builder.build());
	}

}

package io.github.aifallback.chat.model;

import java.util.List;
import java.util.Map;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * The caller's options, whatever vendor's type they are, as options of the wrapped model's
 * own type: the model's defaults, overridden by the caller's portable options only
 * (temperature, max tokens, top-p, top-k, stop sequences, penalties, tools, tool context,
 * output schema), and the entry's model, when it names one. Vendor-only options of another
 * vendor (an OpenAI {@code reasoningEffort}, say) never reach the model: several of Spring
 * AI's models cast the prompt's options to their own type (Ollama 2.0.1 does) and would fail
 * on any other.
 */
final class PortableOptions {

	private PortableOptions() {
	}

	static ChatOptions forModel(ChatModel chatModel, ChatOptions requested, String entryModel) {
		ChatOptions.Builder<?> options = defaults(chatModel);
		if (requested != null) {
			copyPortable(requested, options);
		}
		if (entryModel != null) {
			options.model(entryModel);
		}
		return options.build();
	}

	/**
	 * The model's own defaults, in its own type; a model with none (or whose options cannot
	 * be copied) gets Spring AI's generic options.
	 */
	private static ChatOptions.Builder<?> defaults(ChatModel chatModel) {
		try {
			ChatOptions defaults = chatModel.getOptions();
			if (defaults != null) {
				ChatOptions.Builder<?> builder = defaults.mutate();
				if (builder != null) {
					return builder;
				}
			}
		}
		catch (RuntimeException ex) {
			// An application's model may not implement getOptions()/mutate(): generic options.
		}
		return ToolCallingChatOptions.builder();
	}

	private static void copyPortable(ChatOptions requested, ChatOptions.Builder<?> options) {
		if (requested.getTemperature() != null) {
			options.temperature(requested.getTemperature());
		}
		if (requested.getMaxTokens() != null) {
			options.maxTokens(requested.getMaxTokens());
		}
		if (requested.getTopP() != null) {
			options.topP(requested.getTopP());
		}
		if (requested.getTopK() != null) {
			options.topK(requested.getTopK());
		}
		if (requested.getStopSequences() != null) {
			options.stopSequences(List.copyOf(requested.getStopSequences()));
		}
		if (requested.getFrequencyPenalty() != null) {
			options.frequencyPenalty(requested.getFrequencyPenalty());
		}
		if (requested.getPresencePenalty() != null) {
			options.presencePenalty(requested.getPresencePenalty());
		}
		if (requested instanceof ToolCallingChatOptions tools && options instanceof ToolCallingChatOptions.Builder<?> target) {
			copyTools(tools, target);
		}
		if (requested instanceof StructuredOutputChatOptions structured
				&& options instanceof StructuredOutputChatOptions.Builder<?> target
				&& structured.getOutputSchema() != null) {
			target.outputSchema(structured.getOutputSchema());
		}
	}

	/** The caller's tools replace the model's default ones; tool contexts are merged. */
	private static void copyTools(ToolCallingChatOptions requested, ToolCallingChatOptions.Builder<?> target) {
		if (requested.getToolCallbacks() != null && !requested.getToolCallbacks().isEmpty()) {
			target.toolCallbacks(List.copyOf(requested.getToolCallbacks()));
		}
		Map<String, Object> context = requested.getToolContext();
		if (context != null && !context.isEmpty()) {
			Map<String, Object> defaults = target.build().getToolContext();
			target.toolContext(ToolCallingChatOptions.mergeToolContext(context, defaults));
		}
	}

}

package io.github.aifallback.chat.anthropic;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.aifallback.chat.internal.okhttp.StreamCalls;

import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * The caller's options as one Anthropic request's: what every vendor understands
 * (temperature, max tokens, top-p, top-k, stop sequences, tools and their context, an
 * output schema) from any options type; every Anthropic-only option from
 * {@link AnthropicChatOptions}; nothing another vendor's type adds (OpenAI's logit bias,
 * user, seed...). The entry's model and the attempt's timeout always win. Max tokens,
 * which Anthropic requires, defaults to Spring AI's
 * {@link AnthropicChatOptions#DEFAULT_MAX_TOKENS} (4096).
 */
final class AnthropicRequestOptions {

	private AnthropicRequestOptions() {
	}

	/**
	 * @param requested the caller's options, or {@code null}
	 * @param model this entry's model
	 * @param timeout this attempt's timeout, which each request carries
	 * @param forwardHeaders lower-case names of the caller's headers this entry sends on
	 * @param streamTag the stream's tag header, or {@code null}
	 */
	static AnthropicChatOptions of(ChatOptions requested, String model, Duration timeout, Set<String> forwardHeaders,
			String streamTag) {
		AnthropicChatOptions.Builder options;
		Map<String, String> headers = new LinkedHashMap<>();
		if (requested instanceof AnthropicChatOptions anthropic) {
			options = anthropic.mutate();
			forwarded(anthropic.getHttpHeaders(), forwardHeaders, headers);
			// Client-level settings are this entry's own, never the caller's.
			options.baseUrl(null).apiKey(null).proxy(null).customHeaders(null).maxRetries(null);
		}
		else {
			options = AnthropicChatOptions.builder();
			if (requested != null) {
				portable(requested, options);
			}
		}
		if (streamTag != null) {
			headers.put(StreamCalls.TAG_HEADER, streamTag);
		}
		// Spring AI (2.0.1) sends the options' timeout with each request: the attempt's own
		// timeout must be the one the request carries, whatever the caller set.
		return options.model(model).timeout(timeout).httpHeaders(headers.isEmpty() ? null : headers).build();
	}

	private static void portable(ChatOptions requested, AnthropicChatOptions.Builder options) {
		options.temperature(requested.getTemperature())
			.maxTokens(requested.getMaxTokens())
			.topP(requested.getTopP())
			.topK(requested.getTopK())
			.stopSequences(requested.getStopSequences());
		if (requested instanceof ToolCallingChatOptions tools) {
			if (tools.getToolCallbacks() != null) {
				options.toolCallbacks(tools.getToolCallbacks());
			}
			if (tools.getToolContext() != null) {
				options.toolContext(tools.getToolContext());
			}
		}
		if (requested instanceof StructuredOutputChatOptions structured && structured.getOutputSchema() != null) {
			options.outputSchema(structured.getOutputSchema());
		}
	}

	/**
	 * Only the headers named for this entry: a header meant for one provider (a gateway
	 * token) must never reach another's host.
	 */
	private static void forwarded(Map<String, String> requested, Set<String> names, Map<String, String> into) {
		if (requested == null || names.isEmpty()) {
			return;
		}
		requested.forEach((name, value) -> {
			if (name != null && value != null && names.contains(name.toLowerCase(Locale.ROOT))) {
				into.put(name, value);
			}
		});
	}

}

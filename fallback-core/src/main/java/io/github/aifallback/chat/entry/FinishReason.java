package io.github.aifallback.chat.entry;

import java.util.Locale;
import java.util.Map;

import org.springframework.ai.chat.model.Generation;

/**
 * Why a model stopped, the same whatever the vendor: each Spring AI model passes on its
 * vendor's own word ({@code stop}, {@code end_turn}, {@code STOP}, {@code max_tokens},
 * {@code content_filtered}...), and every decision the chain takes on it (keep an answer as
 * the last good one, call a stream whole, call an answer a refusal) reads this instead.
 * The vendor's word is kept in {@code ai.fallback.raw-finish-reason} metadata (see {@code FallbackMetadata}).
 *
 * @since 0.1.0
 */
public enum FinishReason {

	/** The answer is whole: OpenAI's and Ollama's {@code stop}, Anthropic's and Bedrock's {@code end_turn}. */
	STOP,

	/** The answer was cut at a token limit: {@code length}, {@code max_tokens}. */
	LENGTH,

	/** The model asks for a tool: {@code tool_calls}, {@code tool_use}, {@code function_call}. */
	TOOL_CALL,

	/**
	 * The answer was withheld or cut by a filter or the model refused: {@code content_filter},
	 * Anthropic's {@code refusal}, Bedrock's {@code content_filtered} and
	 * {@code guardrail_intervened}, Gemini's {@code SAFETY}, {@code RECITATION} and the like.
	 */
	CONTENT_FILTER,

	/** Any other reason (Anthropic's {@code pause_turn}, Gemini's {@code MALFORMED_FUNCTION_CALL}...). */
	OTHER;

	/** What the SDKs report for a chunk with no finish reason yet. */
	private static final String UNKNOWN = "_unknown";

	// Lower-case, '-' and ' ' read as '_': Spring AI's models pass on an enum's name
	// (OpenAI's TOOL_CALLS, Gemini's MAX_TOKENS) or the wire value (end_turn).
	private static final Map<String, FinishReason> KNOWN = Map.ofEntries(Map.entry("stop", STOP),
			Map.entry("end_turn", STOP), Map.entry("stop_sequence", STOP), Map.entry("eos", STOP),
			Map.entry("complete", STOP), Map.entry("length", LENGTH),
			Map.entry("max_tokens", LENGTH), Map.entry("model_length", LENGTH),
			Map.entry("model_context_window_exceeded", LENGTH), Map.entry("tool_calls", TOOL_CALL),
			Map.entry("tool_call", TOOL_CALL), Map.entry("tool_use", TOOL_CALL), Map.entry("function_call", TOOL_CALL),
			Map.entry("content_filter", CONTENT_FILTER), Map.entry("content_filtered", CONTENT_FILTER),
			Map.entry("refusal", CONTENT_FILTER), Map.entry("guardrail_intervened", CONTENT_FILTER),
			Map.entry("safety", CONTENT_FILTER), Map.entry("recitation", CONTENT_FILTER),
			Map.entry("blocklist", CONTENT_FILTER), Map.entry("prohibited_content", CONTENT_FILTER),
			Map.entry("spii", CONTENT_FILTER), Map.entry("image_safety", CONTENT_FILTER));

	/**
	 * The normalised reason of a vendor's finish reason.
	 * @param raw the finish reason a Spring AI model reported, or {@code null}
	 * @return the reason, or {@code null} when there is none (null, blank, or the SDKs'
	 * {@code _UNKNOWN} of a chunk not yet finished)
	 */
	public static FinishReason of(String raw) {
		if (raw == null || raw.isBlank()) {
			return null;
		}
		String key = raw.strip().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
		if (UNKNOWN.equals(key)) {
			return null;
		}
		return KNOWN.getOrDefault(key, OTHER);
	}

	/**
	 * The normalised reason of a generation.
	 * @param generation the generation, or {@code null}
	 * @return the reason, or {@code null} when there is none
	 */
	public static FinishReason of(Generation generation) {
		return (generation != null) ? of(raw(generation)) : null;
	}

	/**
	 * The finish reason a generation carries as its model reported it.
	 * @param generation the generation
	 * @return the vendor's word, or {@code null}
	 */
	public static String raw(Generation generation) {
		return (generation.getMetadata() != null) ? generation.getMetadata().getFinishReason() : null;
	}


}

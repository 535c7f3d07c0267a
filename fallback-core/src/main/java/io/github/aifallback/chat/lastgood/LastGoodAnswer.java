package io.github.aifallback.chat.lastgood;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

import io.github.aifallback.chat.entry.FinishReason;

/**
 * A successful answer kept to be served, marked degraded, when every entry fails later.
 * Holds only JDK types, so any cache can serialise it; shared caches keep it as the
 * starter's own JSON, never as a serialised Java object. Its {@link #toString()} shows no
 * answer text.
 *
 * @param generations the answer's texts and finish reasons
 * @param id the provider's response id, or {@code null}
 * @param model the model that answered, or {@code null}
 * @param promptTokens prompt tokens used, or {@code null}
 * @param completionTokens completion tokens used, or {@code null}
 * @param totalTokens total tokens used, or {@code null}
 * @param servedBy the chain entry that answered
 * @param storedAt when the answer was stored
 * @since 0.1.0
 */
public record LastGoodAnswer(List<StoredGeneration> generations, String id, String model, Integer promptTokens,
		Integer completionTokens, Integer totalTokens, String servedBy, Instant storedAt) implements Serializable {

	/**
	 * One generation of a stored answer.
	 *
	 * @param text the text
	 * @param finishReason why the model stopped, or {@code null}
	 */
	public record StoredGeneration(String text, String finishReason) implements Serializable {

		/** Sizes only: an answer's text never reaches a log line through this. */
		@Override
		public String toString() {
			return "StoredGeneration[characters=" + ((this.text != null) ? this.text.length() : 0) + ", finishReason="
					+ this.finishReason + "]";
		}

	}

	/**
	 * Whether a response is complete enough to serve again: every generation has text and
	 * stopped normally (not truncated, not filtered, not a tool call).
	 * @param response the response
	 * @return whether it may be stored
	 */
	public static boolean isStorable(ChatResponse response) {
		if (response.getResults().isEmpty()) {
			return false;
		}
		for (Generation generation : response.getResults()) {
			String text = generation.getOutput().getText();
			// Normalised: Anthropic's end_turn is as whole an answer as OpenAI's stop.
			FinishReason finish = FinishReason.of(generation);
			if (text == null || text.isBlank() || generation.getOutput().hasToolCalls()
					|| (finish != null && finish != FinishReason.STOP)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Capture a response.
	 * @param response the response, {@link #isStorable(ChatResponse) storable}
	 * @param servedBy the entry that served it
	 * @param storedAt now
	 * @return the answer to store
	 */
	public static LastGoodAnswer of(ChatResponse response, String servedBy, Instant storedAt) {
		// A loop, not a stream: this runs on the caller's thread after every fresh answer.
		List<Generation> results = response.getResults();
		StoredGeneration[] stored = new StoredGeneration[results.size()];
		for (int i = 0; i < stored.length; i++) {
			Generation generation = results.get(i);
			stored[i] = new StoredGeneration(generation.getOutput().getText(),
					generation.getMetadata().getFinishReason());
		}
		List<StoredGeneration> generations = List.of(stored);
		ChatResponseMetadata metadata = response.getMetadata();
		Usage usage = metadata.getUsage();
		return new LastGoodAnswer(generations, emptyToNull(metadata.getId()), emptyToNull(metadata.getModel()),
				usage.getPromptTokens(), usage.getCompletionTokens(), usage.getTotalTokens(), servedBy, storedAt);
	}

	/**
	 * Rebuild a response from the stored answer (without the fallback metadata, which the
	 * client adds when serving it).
	 * @return the response
	 */
	public ChatResponse toResponse() {
		List<Generation> results = this.generations.stream()
			.map((stored) -> new Generation(new AssistantMessage(stored.text()),
					ChatGenerationMetadata.builder().finishReason(stored.finishReason()).build()))
			.toList();
		ChatResponseMetadata.Builder metadata = ChatResponseMetadata.builder()
			.usage(new DefaultUsage(this.promptTokens, this.completionTokens, this.totalTokens));
		if (this.id != null) {
			metadata.id(this.id);
		}
		if (this.model != null) {
			metadata.model(this.model);
		}
		return new ChatResponse(results, metadata.build());
	}

	/**
	 * Sizes and provenance only: an answer's text never reaches a log line, an exception or
	 * a debugger's summary through this.
	 */
	@Override
	public String toString() {
		int characters = (this.generations != null)
				? this.generations.stream().mapToInt((g) -> (g.text() != null) ? g.text().length() : 0).sum() : 0;
		return "LastGoodAnswer[generations=" + ((this.generations != null) ? this.generations.size() : 0)
				+ ", characters=" + characters + ", id=" + this.id + ", model=" + this.model + ", totalTokens="
				+ this.totalTokens + ", servedBy=" + this.servedBy + ", storedAt=" + this.storedAt + "]";
	}

	private static String emptyToNull(String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * One call's side of degradation: remembers a good answer under the request's key, and
 * finds the degraded answer when the chain is exhausted. The key is computed at most once,
 * and only when a store or a fixed message needs it.
 */
final class LastGoodAnswers {

	private static final Logger logger = LoggerFactory.getLogger(ResilientChatClient.class);

	private final ResilientChatClient client;

	private final Prompt prompt;

	private String key;

	private boolean keyResolved;

	LastGoodAnswers(ResilientChatClient client, Prompt prompt) {
		this.client = client;
		this.prompt = prompt;
	}

	void remember(ChatResponse response, String servedBy) {
		LastGoodStore store = this.client.lastGoodStore;
		if (store != null && LastGoodAnswer.isStorable(response) && key() != null
				&& this.client.writeThrottle.tryAcquire(key(), this.client.clock.millis())) {
			store.put(key(), LastGoodAnswer.of(response, servedBy, this.client.clock.instant()));
		}
	}

	/**
	 * The last good answer to this request, or the fixed message, with its age; or
	 * {@code null}.
	 */
	Degraded find(String reason) {
		LastGoodStore store = this.client.lastGoodStore;
		LastGoodAnswer answer = (store != null && key() != null) ? store.get(key()) : null;
		if (answer != null) {
			Duration age = Duration.between(answer.storedAt(), this.client.clock.instant());
			logger.warn("AI fallback: every entry failed ({}); serving the last good answer of '{}', {} s old",
					reason, answer.servedBy(), age.toSeconds());
			return new Degraded(answer.toResponse(), age, false);
		}
		if (this.client.degradedMessage != null) {
			logger.warn("AI fallback: every entry failed ({}); serving the fixed degraded message", reason);
			return new Degraded(
					new ChatResponse(List.of(new Generation(new AssistantMessage(this.client.degradedMessage)))),
					Duration.ZERO, true);
		}
		return null;
	}

	private String key() {
		if (!this.keyResolved) {
			this.keyResolved = true;
			this.key = this.client.keyResolver.resolve(this.prompt, RequestFingerprint.of(this.prompt));
		}
		return this.key;
	}

	record Degraded(ChatResponse response, Duration age, boolean fixedMessage) {
	}

}

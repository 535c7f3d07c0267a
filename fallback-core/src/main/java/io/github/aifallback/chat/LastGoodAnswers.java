package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;

import io.github.aifallback.chat.lastgood.ContextualKeyResolver;
import io.github.aifallback.chat.lastgood.LastGoodAnswer;
import io.github.aifallback.chat.lastgood.internal.CanonicalOptions;
import io.github.aifallback.chat.lastgood.internal.GuardedLastGoodStore;
import io.github.aifallback.chat.lastgood.internal.RequestFingerprint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * One call's side of degradation: remembers a good answer under the request's key, and
 * finds the degraded answer when the chain is exhausted. The key comes from outside,
 * resolved once by {@link #resolveKey(ResilientChatClient, Prompt)}; a {@code null} key
 * means nothing is stored or served for this request.
 */
final class LastGoodAnswers {

	private static final Logger logger = LoggerFactory.getLogger(ResilientChatClient.class);

	private final ChainRuntime runtime;

	private final String key;

	/** Whether the call streams: a stream is not among the blocking calls counted running. */
	private final boolean stream;

	LastGoodAnswers(ChainRuntime runtime, String key, boolean stream) {
		this.runtime = runtime;
		this.key = key;
		this.stream = stream;
	}

	/**
	 * The request's last-good key, or {@code null}: when the client keeps no answers, when
	 * an option has no canonical form (fail closed), or when the fingerprint or the key
	 * resolver throws (logged at WARN at most once a minute). Never throws.
	 */
	static String resolveKey(ChainRuntime runtime, Prompt prompt) {
		return resolveKey(runtime, prompt, null);
	}

	/**
	 * As {@link #resolveKey(ResilientChatClient, Prompt)}, giving a
	 * {@link ContextualKeyResolver} the subscriber's Reactor context.
	 * @param context the context, or {@code null} outside a subscription
	 */
	static String resolveKey(ChainRuntime runtime, Prompt prompt, ContextView context) {
		GuardedLastGoodStore store = runtime.lastGoodStore;
		if (store == null) {
			return null;
		}
		try {
			String fingerprint = RequestFingerprint.of(prompt);
			return (context != null && runtime.keyResolver instanceof ContextualKeyResolver contextual)
					? contextual.resolve(prompt, fingerprint, context) : runtime.keyResolver.resolve(prompt, fingerprint);
		}
		catch (CanonicalOptions.NotCanonicalException ex) {
			logger.debug("AI fallback: no last good answer is kept or served for this request: it has {}, "
					+ "which has no canonical form", ex.getMessage());
			return null;
		}
		catch (RuntimeException | LinkageError | AssertionError | StackOverflowError ex) {
			if (store.keyWarnings().tryAcquire()) {
				logger.warn("AI fallback: the last-good key could not be resolved ({}); such requests neither "
						+ "store nor serve last good answers", ex.getClass().getName());
			}
			return null;
		}
	}

	/**
	 * Keep the answer. An in-memory store's write goes to the store's batch, off the call's
	 * time, when other blocking calls are running (they would wait for the CPU it takes) or
	 * when this call took longer than a batch gathers (it waited on its provider, and the next
	 * call most likely waits too while the batch is written); a quick call running alone
	 * writes it itself, as a batch's wake-up would land on the calls that follow
	 * (docs/benchmarks.md).
	 * @param took how long the call has taken
	 */
	void remember(ChatResponse response, String servedBy, Duration took) {
		GuardedLastGoodStore store = this.runtime.lastGoodStore;
		if (store != null && this.key != null && LastGoodAnswer.isStorable(response)
				&& this.runtime.writeThrottle.tryAcquire(this.key, this.runtime.clock.millis())) {
			int othersRunning = this.runtime.callsRunning.get() - (this.stream ? 0 : 1);
			boolean batch = othersRunning > 0 || took.compareTo(GuardedLastGoodStore.IN_MEMORY_BATCH) >= 0;
			store.put(this.key, LastGoodAnswer.of(response, servedBy, this.runtime.clock.instant()), batch);
		}
	}

	/**
	 * The last good answer to this request, or the fixed message, with its age; or
	 * {@code null}. Blocks at most about the time the call has left (see
	 * {@link GuardedLastGoodStore}); a stream uses {@link #findAsync(String, Duration)}.
	 */
	Degraded find(String reason, Duration timeLeft) {
		GuardedLastGoodStore store = this.runtime.lastGoodStore;
		LastGoodAnswer answer = (store != null && this.key != null) ? store.get(this.key, timeLeft) : null;
		return degraded(answer, reason);
	}

	/**
	 * As {@link #find(String, Duration)}, without blocking the subscribing thread: for a
	 * Reactor thread. Empty when there is neither a last good answer nor a fixed message.
	 */
	Mono<Degraded> findAsync(String reason, Duration timeLeft) {
		GuardedLastGoodStore store = this.runtime.lastGoodStore;
		if (store == null || this.key == null) {
			return Mono.justOrEmpty(degraded(null, reason));
		}
		return Mono.fromFuture(() -> store.getAsync(this.key, timeLeft))
			.map((answer) -> degraded(answer, reason))
			.switchIfEmpty(Mono.defer(() -> Mono.justOrEmpty(degraded(null, reason))));
	}

	private Degraded degraded(LastGoodAnswer answer, String reason) {
		if (answer != null) {
			Duration age = Duration.between(answer.storedAt(), this.runtime.clock.instant());
			logger.warn("AI fallback: every entry failed ({}); serving the last good answer of '{}', {} s old",
					reason, answer.servedBy(), age.toSeconds());
			return new Degraded(answer.toResponse(), age, false);
		}
		if (this.runtime.degradedMessage != null) {
			logger.warn("AI fallback: every entry failed ({}); serving the fixed degraded message", reason);
			return new Degraded(
					new ChatResponse(List.of(new Generation(new AssistantMessage(this.runtime.degradedMessage)))),
					Duration.ZERO, true);
		}
		return null;
	}

	record Degraded(ChatResponse response, Duration age, boolean fixedMessage) {
	}

}

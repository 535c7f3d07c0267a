package io.github.aifallback.chat.entry;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import io.github.aifallback.chat.StreamInterruptedException;
import io.github.aifallback.chat.event.FallbackEventListener;
import io.github.aifallback.chat.failure.BasicFailureClassifier;
import io.github.aifallback.chat.failure.FailureClassifier;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * Makes exactly one attempt against one model, within a time limit. The chain's only view
 * of a provider; {@link io.github.aifallback.chat.openai.OpenAiEntryModel} is the real one.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface EntryModel {

	/**
	 * Send one request, with no retries of its own.
	 * @param prompt the prompt, as the application gave it
	 * @param timeout the longest this attempt may take
	 * @return the model's response
	 */
	ChatResponse call(Prompt prompt, Duration timeout);

	/**
	 * Stream one request, with no retries of its own. The chain applies the first-token and
	 * idle timeouts and cancels the returned stream to abandon it: implementations should
	 * then release the connection. By default the whole answer of {@link #call} arrives as
	 * one chunk.
	 * @param prompt the prompt, as the application gave it
	 * @param timeLeft the longest the whole stream may take (the call's deadline)
	 * @return the chunks
	 */
	default Flux<ChatResponse> stream(Prompt prompt, Duration timeLeft) {
		return Flux.defer(() -> Flux.just(call(prompt, timeLeft)));
	}

	/**
	 * Whether this model's streams always end with a finish reason (as the OpenAI and
	 * Anthropic protocols do). When they do, a stream that ends cleanly without one was cut
	 * (the connection closed between two events) and is not a whole answer: the chain ends
	 * it with {@link StreamInterruptedException}, or continues it. A model that never reports
	 * one returns {@code false}: its clean end is then taken as the whole answer.
	 * @return {@code true} by default
	 * @since 0.1.0
	 */
	default boolean reportsFinishReason() {
		return true;
	}

	/**
	 * Values that must be redacted from errors and logs (API keys): a provider may echo them
	 * in an error body.
	 * @return the secrets of this model, none by default
	 * @since 0.1.0
	 */
	default Collection<String> secrets() {
		return List.of();
	}

	/**
	 * Until when this model says it cannot take a request, as its provider's rate-limit
	 * headers told it: the chain then skips the entry, as it skips an open circuit, without
	 * a request, a recorded failure or a circuit permit. Called before every attempt on the
	 * entry: it must be cheap and must not block.
	 * @return the instant it can serve again, or {@code null} (the default) when it can now
	 * @since 0.1.0
	 */
	default Instant unavailableUntil() {
		return null;
	}

	/**
	 * Send this model's own events (a deployment's circuit changes) to a client's listeners
	 * too. Called once by each client built on the model, which ends the subscription when
	 * it is closed. Models without events of their own ignore it.
	 * @param listener the client's listeners, as one; it never throws
	 * @return what ends the subscription
	 * @since 0.1.0
	 */
	default Runnable publishTo(FallbackEventListener listener) {
		return () -> {
		};
	}

	/**
	 * How this model's failures are classified: each adapter knows its vendor's
	 * exceptions. By default, from the exception's type and causes only
	 * ({@link BasicFailureClassifier}).
	 * @return the classifier
	 * @since 0.1.0
	 */
	default FailureClassifier classifier() {
		return BasicFailureClassifier.INSTANCE;
	}

}

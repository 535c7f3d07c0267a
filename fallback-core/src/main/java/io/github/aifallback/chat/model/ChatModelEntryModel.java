package io.github.aifallback.chat.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.github.aifallback.chat.failure.AttemptTimeoutException;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.failure.FailureClassifier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * An {@link EntryModel} backed by any Spring AI {@link ChatModel} (Ollama, Gemini, Bedrock,
 * Mistral, Azure, or the application's own).
 * <p>
 * Such a model takes no timeout per call, so the chain enforces the entry's: a blocking call
 * runs on a thread of this entry and is abandoned at the timeout (the thread is interrupted;
 * see {@link Builder#maxConcurrentCalls} for what happens to a call that ignores it). A
 * stream is bounded by the time left and cancelled upstream when the chain abandons it.
 * <p>
 * The model receives its own default options, overridden by the caller's portable ones
 * (temperature, max tokens, top-p, top-k, stop sequences, penalties, tools, output schema)
 * whatever vendor's type the caller used, and the entry's model when it names one. The
 * model's own retries are its business: turn them off (for Spring AI's, its
 * {@code RetryTemplate}), since the chain is meant to be the only retry layer.
 *
 * @since 0.1.0
 */
public final class ChatModelEntryModel implements EntryModel {

	private static final FailureClassifier CLASSIFIER = new SpringAiFailureClassifier();

	private final ChatModel chatModel;

	private final String model;

	private final String name;

	private final BlockingCalls calls;

	/**
	 * Spring AI's models whose streams always end with a finish reason (Ollama's through its
	 * {@code done} line, see {@link FinishedChunks}).
	 */
	private static final Set<String> REPORT_FINISH_REASONS = Set.of("org.springframework.ai.ollama.OllamaChatModel",
			"org.springframework.ai.openai.OpenAiChatModel", "org.springframework.ai.anthropic.AnthropicChatModel",
			"org.springframework.ai.mistralai.MistralAiChatModel",
			"org.springframework.ai.azure.openai.AzureOpenAiChatModel");

	private final boolean finishReasonRequired;

	private ChatModelEntryModel(Builder builder) {
		this.finishReasonRequired = (builder.finishReasonRequired != null) ? builder.finishReasonRequired
				: REPORT_FINISH_REASONS.contains(builder.chatModel.getClass().getName());
		this.chatModel = builder.chatModel;
		this.model = builder.model;
		this.name = builder.name;
		this.calls = new BlockingCalls(builder.name, builder.maxConcurrentCalls);
	}

	/**
	 * Wrap a chat model, with its own default model.
	 * @param chatModel the model
	 * @return the entry model
	 */
	public static ChatModelEntryModel of(ChatModel chatModel) {
		return builder(chatModel).build();
	}

	/**
	 * A builder, for the options {@link #of} does not take.
	 * @param chatModel the model to wrap
	 * @return the builder
	 */
	public static Builder builder(ChatModel chatModel) {
		return new Builder(chatModel);
	}

	/**
	 * Runs the blocking call on a thread of this entry and waits at most {@code timeout}.
	 * @throws AttemptTimeoutException at the timeout
	 * @throws EntryBusyException when every thread of this entry is busy
	 */
	@Override
	public ChatResponse call(Prompt prompt, Duration timeout) {
		Prompt request = request(prompt);
		return this.calls.call(() -> this.chatModel.call(request), timeout);
	}

	/**
	 * The model's stream, bounded by the time left; cancelling it cancels the model's. A
	 * model that does not stream answers in one chunk, from a blocking call on a thread of
	 * this entry (never on the subscriber's).
	 */
	@Override
	public Flux<ChatResponse> stream(Prompt prompt, Duration timeLeft) {
		return Flux.defer(() -> {
			long deadline = System.nanoTime() + timeLeft.toNanos();
			Prompt request = request(prompt);
			Flux<ChatResponse> stream;
			try {
				stream = this.chatModel.stream(request);
			}
			catch (UnsupportedOperationException notStreaming) {
				stream = this.calls.mono(() -> this.chatModel.call(request)).flux();
			}
			return stream.map(FinishedChunks::withFinishReason)
				.timeout(untilDeadline(deadline), (chunk) -> untilDeadline(deadline))
				.onErrorMap(TimeoutException.class, (ex) -> new AttemptTimeoutException(
						"The stream did not end within " + timeLeft.toMillis() + " ms"));
		})
			// A model may do blocking work when asked for its stream: never on the caller's
			// (perhaps an event loop's) thread.
			.subscribeOn(Schedulers.boundedElastic());
	}

	private static Mono<Long> untilDeadline(long deadline) {
		return Mono.delay(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
	}

	private Prompt request(Prompt prompt) {
		return prompt.mutate().chatOptions(PortableOptions.forModel(this.chatModel, prompt.getOptions(), this.model))
			.build();
	}

	/**
	 * Decided by the kind of model, unless set on the builder: {@code true} for Spring AI's
	 * models known to end every stream with a finish reason (Ollama, OpenAI, Anthropic,
	 * Mistral, Azure OpenAI), whose clean end without one is a cut; {@code false} for any
	 * other model (the application's own, or one that reports none), whose clean end is the
	 * whole answer. A broken connection still fails the stream, as the model's client
	 * reports it.
	 */
	@Override
	public boolean reportsFinishReason() {
		return this.finishReasonRequired;
	}

	/** Spring AI's and Spring's web exceptions, then the basic ones. */
	@Override
	public FailureClassifier classifier() {
		return CLASSIFIER;
	}

	/** Threads now running a call: for tests. */
	int activeThreads() {
		return this.calls.activeThreads();
	}

	@Override
	public String toString() {
		return "ChatModelEntryModel[name=" + this.name + ", chatModel=" + this.chatModel.getClass().getName()
				+ ((this.model != null) ? ", model=" + this.model : "") + "]";
	}

	/**
	 * Builds a {@link ChatModelEntryModel}.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private final ChatModel chatModel;

		private String model;

		private String name = "chat-model";

		private int maxConcurrentCalls = 64;

		private Boolean finishReasonRequired;

		private Builder(ChatModel chatModel) {
			this.chatModel = Objects.requireNonNull(chatModel, "chatModel");
		}

		/**
		 * The model id sent to the provider instead of the chat model's default one.
		 * @param model the model, or {@code null} for the chat model's default
		 * @return this builder
		 */
		public Builder model(String model) {
			this.model = model;
			return this;
		}

		/**
		 * A name for this entry's threads ({@code ai-fallback-<name>-...}).
		 * @param name the name
		 * @return this builder
		 */
		public Builder name(String name) {
			this.name = Objects.requireNonNull(name, "name");
			return this;
		}

		/**
		 * The most blocking calls this entry runs at once (default 64). A call abandoned at
		 * its timeout keeps its thread until it ends: it stops at once if it heeds
		 * interrupts (the JDK's {@code HttpClient}, which Spring's {@code RestClient} uses by
		 * default, Reactor's {@code block()}, Spring's retry waits), else at its own HTTP
		 * read timeout. When every thread is busy, a call fails at once with
		 * {@link EntryBusyException} (a server error: retried, then the chain falls back).
		 * @param maxConcurrentCalls the cap, at least 1
		 * @return this builder
		 */
		public Builder maxConcurrentCalls(int maxConcurrentCalls) {
			if (maxConcurrentCalls < 1) {
				throw new IllegalArgumentException("maxConcurrentCalls must be at least 1");
			}
			this.maxConcurrentCalls = maxConcurrentCalls;
			return this;
		}

		/**
		 * Whether a stream that ends cleanly without a finish reason is cut (not a whole
		 * answer). By default decided by the kind of model (see
		 * {@link ChatModelEntryModel#reportsFinishReason()}).
		 * @param required whether the model's streams always end with a finish reason
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder finishReasonRequired(boolean required) {
			this.finishReasonRequired = required;
			return this;
		}

		/**
		 * Build the entry model.
		 * @return the entry model
		 */
		public ChatModelEntryModel build() {
			return new ChatModelEntryModel(this);
		}

	}

}

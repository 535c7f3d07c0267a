package io.github.aifallback.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.UnaryOperator;

import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.circuit.SharedCircuitState;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.event.FallbackEventListener;
import io.github.aifallback.chat.failure.FailureClassifier;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.lastgood.ContextualKeyResolver;
import io.github.aifallback.chat.lastgood.LastGoodKeyResolver;
import io.github.aifallback.chat.lastgood.LastGoodStore;
import io.github.aifallback.chat.lastgood.internal.GuardedLastGoodStore;
import io.github.aifallback.chat.observation.FallbackAttemptObservationConvention;
import io.github.aifallback.chat.observation.FallbackCallObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * A Spring AI {@link ChatModel} that answers through a chain of models: it retries an
 * entry with backoff when the failure is transient, falls back to the next entry, and
 * reports which entry served and which attempts failed in the response metadata
 * ({@link FallbackMetadata}). Immutable and thread-safe; build one with {@link #builder()}.
 *
 * @since 0.1.0
 */
public final class ResilientChatClient implements ChatModel, AutoCloseable {

	/** What calls work on: built once, immutable. */
	final ChainRuntime runtime;

	/** How this client was built, for {@link #mutate()}. */
	private final Builder settings;

	private final List<ChainEntry> entries;

	private ResilientChatClient(Builder builder) {
		this.settings = builder.copy();
		this.entries = List.copyOf(this.settings.entries);
		this.runtime = new ChainRuntime(this.settings);
	}

	/**
	 * A new builder.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder holding this client's configuration, to derive another client.
	 * @return the builder
	 */
	public Builder mutate() {
		return this.settings.copy();
	}

	@Override
	public ChatResponse call(Prompt prompt) {
		return new ChainCall(this.runtime, requireMessages(prompt)).run();
	}

	/**
	 * Send one user message through the chain and return the answer's text.
	 * @param message the user message
	 * @return the text of the answer
	 */
	@Override
	public String call(String message) {
		Objects.requireNonNull(message, "message must not be null");
		return call(new Prompt(new UserMessage(message))).getResult().getOutput().getText();
	}

	/**
	 * Stream through the chain: retries and fallbacks happen as in {@link #call(Prompt)}
	 * until the first token reaches the subscriber; after that the stream is committed to
	 * its entry, and a failure ends it with one {@link StreamInterruptedException}. Each
	 * chunk carries the {@link FallbackMetadata} keys. The call is observed under the
	 * observation of the subscriber's Reactor context, as Spring AI's streams are.
	 */
	@Override
	public Flux<ChatResponse> stream(Prompt prompt) {
		requireMessages(prompt);
		ChainRuntime runtime = this.runtime;
		if (runtime.keyResolver instanceof ContextualKeyResolver) {
			return Flux.deferContextual((context) -> new StreamCall(runtime, prompt,
					LastGoodAnswers.resolveKey(runtime, prompt, context), context).run());
		}
		// Resolved now, on the caller's thread, not later on a Reactor or SDK thread: a
		// resolver that reads a thread-local tenant must see the caller's.
		String key = LastGoodAnswers.resolveKey(runtime, prompt);
		return Flux.deferContextual((context) -> new StreamCall(runtime, prompt, key, context).run());
	}

	/**
	 * Portable options with no model: each entry sends its own model id, and converts what
	 * a caller sets (temperature, max tokens, tools...) into its vendor's options. Tool
	 * calling options, so that a {@code ChatClient} can add tools.
	 */
	@Override
	public ChatOptions getOptions() {
		return ToolCallingChatOptions.builder().build();
	}

	/**
	 * The chain, in order.
	 * @return the entries
	 */
	public List<ChainEntry> getEntries() {
		return this.entries;
	}

	private static Prompt requireMessages(Prompt prompt) {
		Objects.requireNonNull(prompt, "prompt must not be null");
		if (prompt.getInstructions().isEmpty()) {
			throw new IllegalArgumentException("prompt must have at least one message");
		}
		return prompt;
	}

	/**
	 * The circuit breakers of the entries, in chain order.
	 * @return the breakers
	 */
	public List<CircuitBreaker> getCircuitBreakers() {
		return List.copyOf(this.runtime.breakers.values());
	}

	/**
	 * The circuit breaker of one entry.
	 * @param entry the entry's name
	 * @return its breaker
	 * @throws IllegalArgumentException when no entry has that name
	 */
	public CircuitBreaker circuitBreaker(String entry) {
		CircuitBreaker breaker = this.runtime.breakers.get(entry);
		if (breaker == null) {
			throw new IllegalArgumentException("No chain entry is named '" + entry + "'; the chain is "
					+ this.runtime.breakers.keySet());
		}
		return breaker;
	}

	/**
	 * Whether the chain is in panic mode now: enough of its entries are out on inferred
	 * evidence (timeouts, connection and server errors) that calls every entry refuses are
	 * sent to the one most likely to answer. Always {@code false} when panic mode is off.
	 * @return whether the chain panics
	 * @since 0.1.0
	 */
	public boolean inPanic() {
		return this.runtime.panic.inPanic(this.runtime.chain);
	}

	/**
	 * The key under which this client keeps, and looks up, the last good answer to a request:
	 * its {@link io.github.aifallback.chat.lastgood.LastGoodKeyResolver} applied to the
	 * request's fingerprint (a SHA-256 over messages, tools and options, without the model).
	 * For operators who need to evict one answer from the store, or to seed it.
	 * @param prompt the request
	 * @return the key, or {@code null} when this client keeps no last good answers, or none
	 * for this request (its resolver said so, or its options have no canonical form)
	 * @since 0.1.0
	 */
	public String lastGoodKey(Prompt prompt) {
		requireMessages(prompt);
		return LastGoodAnswers.resolveKey(this.runtime, prompt);
	}

	/**
	 * Attempts in flight on an entry now, or -1 when it has no concurrency limit.
	 * @param entry the entry's name
	 * @return the attempts in flight
	 * @since 0.1.0
	 */
	public int inFlight(String entry) {
		circuitBreaker(entry);
		for (ResolvedEntry resolved : this.runtime.chain) {
			if (resolved.name().equals(entry)) {
				return (resolved.concurrencyLimit() != null) ? resolved.concurrencyLimit().inFlight() : -1;
			}
		}
		return -1;
	}

	/**
	 * Let the last good answers still queued for the store land (for about a second at
	 * most), then stop its threads. Spring calls this when the context closes, before the
	 * cache beans the store depends on are gone. Clients derived with {@link #mutate()}
	 * share the store.
	 * @since 0.1.0
	 */
	@Override
	public void close() {
		this.runtime.close();
		if (this.runtime.hedging != null) {
			this.runtime.hedging.close();
		}
		if (this.runtime.lastGoodStore != null) {
			this.runtime.lastGoodStore.close();
		}
	}

	@Override
	public String toString() {
		return "ResilientChatClient" + this.entries.stream().map(ChainEntry::name).toList();
	}

	/**
	 * Builds a {@link ResilientChatClient}.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		final List<ChainEntry> entries = new ArrayList<>();

		Duration timeout = Duration.ofSeconds(10);

		Duration deadline = Duration.ofSeconds(30);

		Duration firstTokenTimeout = Duration.ofSeconds(10);

		Duration idleTimeout = Duration.ofSeconds(10);

		Duration minAttemptTime = Duration.ofMillis(50);

		RetrySettings retry = RetrySettings.DEFAULTS;

		FallbackPolicy policy = FallbackPolicy.defaults();

		FailureClassifier classifier;

		UnaryOperator<FailureClassifier> classifierWrapper = UnaryOperator.identity();

		Clock clock = Clock.systemUTC();

		Sleeper sleeper = Sleeper.system();

		DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

		final List<FallbackEventListener> listeners = new ArrayList<>();

		GuardedLastGoodStore lastGoodStore;

		LastGoodKeyResolver keyResolver = LastGoodKeyResolver.GLOBAL;

		String degradedMessage;

		CircuitBreakerSettings circuitBreakerSettings = CircuitBreakerSettings.DEFAULTS;

		SharedCircuitState sharedCircuitState;

		ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		FallbackCallObservationConvention callObservationConvention;

		FallbackAttemptObservationConvention attemptObservationConvention;

		ResponseValidator responseValidator;

		RetryBudgetSettings retryBudget = RetryBudgetSettings.DEFAULTS;

		RetryBudget.Factory retryBudgetFactory = RetryBudget.Factory.LOCAL;

		boolean streamContinuation;

		String continuationInstruction = StreamContinuation.DEFAULT_INSTRUCTION;

		double hedgeBudget = 0.1;

		int hedgeMinPerSecond = 1;

		boolean panicEnabled = true;

		float panicThreshold = 50f;

		/** The time kept for later entries; {@code null}: a third of the deadline. */
		Duration fallbackFloor;

		int maxConcurrentCalls;

		Duration concurrencyWait = Duration.ZERO;

		final Map<String, Integer> entryConcurrency = new HashMap<>();

		private Builder() {
		}

		/** A builder with this one's settings, its lists copied. */
		Builder copy() {
			Builder copy = new Builder();
			copy.entries.addAll(this.entries);
			copy.timeout = this.timeout;
			copy.deadline = this.deadline;
			copy.firstTokenTimeout = this.firstTokenTimeout;
			copy.idleTimeout = this.idleTimeout;
			copy.minAttemptTime = this.minAttemptTime;
			copy.retry = this.retry;
			copy.policy = this.policy;
			copy.classifier = this.classifier;
			copy.classifierWrapper = this.classifierWrapper;
			copy.clock = this.clock;
			copy.sleeper = this.sleeper;
			copy.random = this.random;
			copy.listeners.addAll(this.listeners);
			copy.lastGoodStore = this.lastGoodStore;
			copy.keyResolver = this.keyResolver;
			copy.degradedMessage = this.degradedMessage;
			copy.circuitBreakerSettings = this.circuitBreakerSettings;
			copy.sharedCircuitState = this.sharedCircuitState;
			copy.observationRegistry = this.observationRegistry;
			copy.callObservationConvention = this.callObservationConvention;
			copy.attemptObservationConvention = this.attemptObservationConvention;
			copy.responseValidator = this.responseValidator;
			copy.retryBudget = this.retryBudget;
			copy.retryBudgetFactory = this.retryBudgetFactory;
			copy.streamContinuation = this.streamContinuation;
			copy.continuationInstruction = this.continuationInstruction;
			copy.hedgeBudget = this.hedgeBudget;
			copy.hedgeMinPerSecond = this.hedgeMinPerSecond;
			copy.panicEnabled = this.panicEnabled;
			copy.panicThreshold = this.panicThreshold;
			copy.fallbackFloor = this.fallbackFloor;
			copy.maxConcurrentCalls = this.maxConcurrentCalls;
			copy.concurrencyWait = this.concurrencyWait;
			copy.entryConcurrency.putAll(this.entryConcurrency);
			return copy;
		}

		/**
		 * Panic mode (on by default, at 50%, Envoy's panic threshold): when less than
		 * {@code threshold} percent of the entries that only inferred evidence can take out
		 * (timeouts, connection and server errors) are still in rotation, a call that every
		 * entry refused makes one attempt on the entry most likely to answer, instead of
		 * failing (after the last good answer, when there is one).
		 * @param enabled whether the chain panics
		 * @param threshold the share of entries in rotation, in percent, in (0, 100]
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder panic(boolean enabled, float threshold) {
			if (!(threshold > 0 && threshold <= 100)) {
				throw new IllegalArgumentException("the panic threshold must be in (0, 100]");
			}
			this.panicEnabled = enabled;
			this.panicThreshold = threshold;
			return this;
		}

		/**
		 * The time an entry leaves to the entries after it (deadline budgeting): its
		 * attempts, retries and first-token waits never take more of the call's remaining
		 * time than leaves this much, when a later entry could serve. By default a third of
		 * the deadline; {@link Duration#ZERO} turns it off.
		 * @param floor the floor
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder fallbackFloor(Duration floor) {
			Objects.requireNonNull(floor, "floor");
			if (floor.isNegative()) {
				throw new IllegalArgumentException("the fallback floor must not be negative");
			}
			this.fallbackFloor = floor;
			return this;
		}

		/**
		 * Every entry's concurrency limit (a bulkhead): at most {@code limit} attempts in
		 * flight; a call over it goes on to the next entry without counting against the
		 * entry's circuit, after waiting at most {@code maxWait} for a place (blocking calls
		 * only, within the deadline).
		 * @param limit the attempts in flight at most, 0 for no limit
		 * @param maxWait how long a blocking call may wait for a place
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder maxConcurrentCalls(int limit, Duration maxWait) {
			if (limit < 0) {
				throw new IllegalArgumentException("the concurrency limit must be 0 (none) or more");
			}
			this.maxConcurrentCalls = limit;
			this.concurrencyWait = Objects.requireNonNull(maxWait, "maxWait");
			return this;
		}

		/**
		 * One entry's concurrency limit, over the chain's.
		 * @param entry the entry's name
		 * @param limit the attempts in flight at most, 0 for no limit
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder maxConcurrentCalls(String entry, int limit) {
			if (limit < 0) {
				throw new IllegalArgumentException("the concurrency limit must be 0 (none) or more");
			}
			this.entryConcurrency.put(entry, limit);
			return this;
		}

		/**
		 * Append an entry to the chain.
		 * @param entry the entry
		 * @return this builder
		 */
		public Builder entry(ChainEntry entry) {
			this.entries.add(Objects.requireNonNull(entry, "entry"));
			return this;
		}

		/**
		 * Replace the chain.
		 * @param entries the entries, in order
		 * @return this builder
		 */
		public Builder entries(List<ChainEntry> entries) {
			this.entries.clear();
			entries.forEach(this::entry);
			return this;
		}

		/**
		 * The attempt timeout of entries that have none of their own (default 10 s).
		 * @param timeout the timeout
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			this.timeout = Objects.requireNonNull(timeout, "timeout");
			return this;
		}

		/**
		 * The whole call's limit, all attempts and waits included (default 30 s).
		 * @param deadline the deadline
		 * @return this builder
		 */
		public Builder deadline(Duration deadline) {
			this.deadline = Objects.requireNonNull(deadline, "deadline");
			return this;
		}

		/**
		 * When streaming, the longest wait for the first token of entries that set none
		 * (default 10 s).
		 * @param firstTokenTimeout the timeout
		 * @return this builder
		 */
		public Builder firstTokenTimeout(Duration firstTokenTimeout) {
			this.firstTokenTimeout = Objects.requireNonNull(firstTokenTimeout, "firstTokenTimeout");
			return this;
		}

		/**
		 * When streaming, the longest gap between two chunks of entries that set none
		 * (default 10 s).
		 * @param idleTimeout the timeout
		 * @return this builder
		 */
		public Builder idleTimeout(Duration idleTimeout) {
			this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
			return this;
		}

		/**
		 * The least time an attempt may start with (default 50 ms): with less left of the
		 * deadline the call ends rather than start an attempt that cannot finish.
		 * @param minAttemptTime the floor
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder minAttemptTime(Duration minAttemptTime) {
			this.minAttemptTime = Objects.requireNonNull(minAttemptTime, "minAttemptTime");
			return this;
		}

		/**
		 * How entries are retried.
		 * @param retry the settings
		 * @return this builder
		 */
		public Builder retry(RetrySettings retry) {
			this.retry = Objects.requireNonNull(retry, "retry");
			return this;
		}

		/**
		 * How far retries may add to each entry's load, across every call of the client
		 * (default {@link RetryBudgetSettings#DEFAULTS}: 20% over 10 s, at least 3 retries
		 * per second). When an entry's budget is spent, a failure that would be retried falls
		 * back instead. {@code null} turns the budget off: every retry the policy allows is
		 * made.
		 * @param retryBudget the budget's size, or {@code null} for none
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder retryBudget(RetryBudgetSettings retryBudget) {
			this.retryBudget = retryBudget;
			return this;
		}

		/**
		 * Where each entry's retry budget is kept (default {@link RetryBudget.Factory#LOCAL}:
		 * in this JVM), for example in a store shared by every instance of the application.
		 * @param factory creates each entry's budget when the client is built
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder retryBudgetFactory(RetryBudget.Factory factory) {
			this.retryBudgetFactory = Objects.requireNonNull(factory, "factory");
			return this;
		}

		/**
		 * Whether a stream cut after its first token continues on the next entry (default
		 * {@code false}: it ends with {@link StreamInterruptedException}). The next entry
		 * receives the prompt, the partial answer as an assistant message and a user message
		 * asking it to continue; its tokens follow the ones already sent, marked
		 * {@link FallbackMetadata#CONTINUED_FROM}. Never when a tool call was in flight or
		 * only whitespace had come. Unsafe for answers that must be byte-exact (JSON): the
		 * seam may repeat or drop words.
		 * @param enabled whether cut streams continue
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder streamContinuation(boolean enabled) {
			this.streamContinuation = enabled;
			return this;
		}

		/**
		 * The user message that asks the next entry to continue a cut stream (default
		 * "Continue exactly where your previous answer stopped. Do not repeat anything.").
		 * @param instruction the message's text
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder streamContinuationInstruction(String instruction) {
			Objects.requireNonNull(instruction, "instruction");
			if (instruction.isBlank()) {
				throw new IllegalArgumentException("instruction must not be blank");
			}
			this.continuationInstruction = instruction;
			return this;
		}

		/**
		 * The action per failure kind.
		 * @param policy the policy
		 * @return this builder
		 */
		public Builder policy(FallbackPolicy policy) {
			this.policy = Objects.requireNonNull(policy, "policy");
			return this;
		}

		/**
		 * Classify every entry's failures with this classifier instead of the entry's own
		 * ({@link EntryModel#classifier()}: each vendor's adapter knows its exceptions).
		 * @param classifier the classifier, or {@code null} for each entry's own
		 * @return this builder
		 */
		public Builder classifier(FailureClassifier classifier) {
			this.classifier = classifier;
			return this;
		}

		/**
		 * Wrap each entry's classifier, for example to treat one more exception of the
		 * application's as transient and leave the rest to the vendor's classifier.
		 * @param wrapper receives an entry's classifier, returns the one to use
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder wrapClassifiers(UnaryOperator<FailureClassifier> wrapper) {
			this.classifierWrapper = Objects.requireNonNull(wrapper, "wrapper");
			return this;
		}

		/**
		 * The clock for deadlines and event times.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		/**
		 * How the chain waits between attempts.
		 * @param sleeper the sleeper
		 * @return this builder
		 */
		public Builder sleeper(Sleeper sleeper) {
			this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
			return this;
		}

		/**
		 * The source of jitter, uniform in [0, 1).
		 * @param random the random source
		 * @return this builder
		 */
		public Builder random(DoubleSupplier random) {
			this.random = Objects.requireNonNull(random, "random");
			return this;
		}

		/**
		 * Add a listener of the chain's events.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(FallbackEventListener listener) {
			this.listeners.add(Objects.requireNonNull(listener, "listener"));
			return this;
		}

		/**
		 * Keep each request's last good answer here, to serve it marked degraded when every
		 * entry fails ({@code null}, the default, keeps nothing). The store is guarded: its
		 * writes are asynchronous, its reads wait at most the time a call has left, and a
		 * store that keeps failing is skipped for a while.
		 * @param lastGoodStore the store, or {@code null}
		 * @return this builder
		 */
		public Builder lastGoodStore(LastGoodStore lastGoodStore) {
			this.lastGoodStore = GuardedLastGoodStore.guard(lastGoodStore);
			return this;
		}

		/**
		 * How last good answers are keyed (default: the request's fingerprint alone).
		 * @param keyResolver the resolver
		 * @return this builder
		 */
		public Builder keyResolver(LastGoodKeyResolver keyResolver) {
			this.keyResolver = Objects.requireNonNull(keyResolver, "keyResolver");
			return this;
		}

		/**
		 * A fixed answer served, marked degraded, when every entry fails and no last good
		 * answer exists ({@code null}, the default: throw {@link AllModelsFailedException}).
		 * @param degradedMessage the answer, or {@code null}
		 * @return this builder
		 */
		public Builder degradedMessage(String degradedMessage) {
			this.degradedMessage = degradedMessage;
			return this;
		}

		/**
		 * When entries' circuits open, and for how long.
		 * @param settings the settings
		 * @return this builder
		 */
		public Builder circuitBreaker(CircuitBreakerSettings settings) {
			this.circuitBreakerSettings = Objects.requireNonNull(settings, "settings");
			return this;
		}

		/**
		 * Share circuit openings with other instances and follow theirs, one probe per open
		 * period for the whole fleet. Default {@code null}: each instance learns alone.
		 * @param sharedCircuitState the fleet's shared state, or {@code null}
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder sharedCircuitState(SharedCircuitState sharedCircuitState) {
			this.sharedCircuitState = sharedCircuitState;
			return this;
		}

		/**
		 * Where calls are observed: one {@code ai.fallback.call} observation per call, a
		 * child {@code ai.fallback.attempt} per attempt (current while the entry's model
		 * runs, so that Spring AI's own observations nest under it) and a child
		 * {@code ai.fallback.backoff} per wait. Default {@link ObservationRegistry#NOOP}:
		 * nothing is observed, at the cost of one check per call.
		 * @param observationRegistry the registry
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder observationRegistry(ObservationRegistry observationRegistry) {
			this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
			return this;
		}

		/**
		 * Name call observations and their key values this way instead of with
		 * {@link io.github.aifallback.chat.observation.DefaultFallbackCallObservationConvention}.
		 * @param convention the convention, or {@code null} for the default
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder callObservationConvention(FallbackCallObservationConvention convention) {
			this.callObservationConvention = convention;
			return this;
		}

		/**
		 * Name attempt observations and their key values this way instead of with
		 * {@link io.github.aifallback.chat.observation.DefaultFallbackAttemptObservationConvention}.
		 * @param convention the convention, or {@code null} for the default
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder attemptObservationConvention(FallbackAttemptObservationConvention convention) {
			this.attemptObservationConvention = convention;
			return this;
		}

		/**
		 * Check every answer of a blocking call before it is returned: a rejected answer is
		 * an {@link FailureKind#INVALID_RESPONSE} failure, and the chain goes on (see
		 * {@link ResponseValidator}). Not applied to streams.
		 * @param responseValidator the validator, or {@code null} for none
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder responseValidator(ResponseValidator responseValidator) {
			this.responseValidator = responseValidator;

			return this;
		}

		/**
		 * Cap the hedges of entries that are hedged ({@link ChainEntry#withHedge}): at most
		 * {@code ratio} extra requests per request to a hedged entry over a sliding 10-second
		 * window, and at least {@code minPerSecond} hedges a second whatever the traffic
		 * (default 0.1 and 1). When the budget is spent a slow attempt is not hedged, so that
		 * hedging cannot double the load on providers during an outage.
		 * @param ratio the extra requests allowed per request, from 0 (with a floor of 0:
		 * never hedge) to 1
		 * @param minPerSecond the hedges always allowed per second, 0 or more
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder hedgeBudget(double ratio, int minPerSecond) {
			if (!(ratio >= 0 && ratio <= 1)) {
				throw new IllegalArgumentException("The hedge budget must be between 0 and 1, not " + ratio);
			}
			if (minPerSecond < 0) {
				throw new IllegalArgumentException("The hedges allowed per second must not be negative");
			}
			this.hedgeBudget = ratio;
			this.hedgeMinPerSecond = minPerSecond;
			return this;
		}

		/**
		 * Build the client.
		 * @return the client
		 * @throws IllegalArgumentException when the configuration cannot work
		 */
		public ResilientChatClient build() {
			if (this.entries.isEmpty()) {
				throw new IllegalArgumentException("The chain needs at least one entry");
			}
			requirePositive(this.timeout, "timeout");
			requirePositive(this.deadline, "deadline");
			requirePositive(this.firstTokenTimeout, "firstTokenTimeout");
			requirePositive(this.idleTimeout, "idleTimeout");
			requirePositive(this.minAttemptTime, "minAttemptTime");
			if (this.minAttemptTime.compareTo(this.deadline) >= 0) {
				throw new IllegalArgumentException("minAttemptTime must be shorter than the deadline");
			}
			Set<String> names = new HashSet<>();
			for (ChainEntry entry : this.entries) {
				if (!names.add(entry.name())) {
					throw new IllegalArgumentException("Two chain entries are named '" + entry.name() + "'");
				}
				Duration entryTimeout = (entry.timeout() != null) ? entry.timeout() : this.timeout;
				if (entryTimeout.compareTo(this.deadline) > 0) {
					throw new IllegalArgumentException("The timeout of entry '" + entry.name()
							+ "' is longer than the deadline");
				}
			}
			return new ResilientChatClient(this);
		}

		private static void requirePositive(Duration duration, String name) {
			if (duration.isZero() || duration.isNegative()) {
				throw new IllegalArgumentException(name + " must be positive");
			}
		}

	}

}

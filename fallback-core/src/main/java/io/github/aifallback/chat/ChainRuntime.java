package io.github.aifallback.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.event.CircuitStateChangedEvent;
import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.event.FallbackEventListener;
import io.github.aifallback.chat.event.PanicModeEvent;
import io.github.aifallback.chat.failure.FailureClassifier;
import io.github.aifallback.chat.lastgood.LastGoodKeyResolver;
import io.github.aifallback.chat.lastgood.internal.GuardedLastGoodStore;
import io.github.aifallback.chat.lastgood.internal.WriteThrottle;
import io.github.aifallback.chat.observation.FallbackAttemptObservationConvention;
import io.github.aifallback.chat.observation.FallbackCallObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every call of one client works on, built once with the client and never changed:
 * the chain with each entry's settings resolved, the chain-wide settings, the circuit
 * breakers, the last-good store, and the listeners. Calls read it; nothing in it is
 * resolved at call time.
 */
final class ChainRuntime {

	private static final Logger logger = LoggerFactory.getLogger(ResilientChatClient.class);

	final List<ResolvedEntry> chain;

	final Map<String, CircuitBreaker> breakers;

	final Duration deadline;

	final Duration minAttemptTime;

	final RetrySettings retry;

	final Clock clock;

	final DoubleSupplier random;

	final SpringRetryRunner retryRunner;

	final GuardedLastGoodStore lastGoodStore;

	final LastGoodKeyResolver keyResolver;

	final String degradedMessage;

	final WriteThrottle writeThrottle = new WriteThrottle();

	/**
	 * Blocking calls of this client running now: with others running, a call leaves its last
	 * good answer to the store's batch (see {@link LastGoodAnswers#remember}).
	 */
	final AtomicInteger callsRunning = new AtomicInteger();

	/** Every entry's secrets (API keys, header values): redacted from what callers see. */
	final List<String> secrets;

	/** Where calls are observed; {@link ObservationRegistry#NOOP} costs a check per call. */
	final ObservationRegistry observationRegistry;

	/** The application's naming of call observations, or {@code null} for the default. */
	final FallbackCallObservationConvention callConvention;

	/** The application's naming of attempt observations, or {@code null} for the default. */
	final FallbackAttemptObservationConvention attemptConvention;

	/** The entries' declared capabilities and windows, or {@code null} when none declares any. */
	final EntryCapabilities capabilities;

	/** The application's check of every blocking answer, or {@code null}. */
	final ResponseValidator responseValidator;

	/**
	 * The user message that asks the next entry to continue a cut stream, or {@code null}
	 * when cut streams end with {@link StreamInterruptedException}.
	 */
	final String continuationInstruction;

	/** The hedging threads and budget, or {@code null} when no entry is hedged. */
	final Hedging hedging;

	/** Panic mode, and what a call every entry refused may still try. */
	final ChainPanic panic;

	/** The time an entry leaves to the entries after it ({@link Duration#ZERO}: none). */
	final Duration fallbackFloor;

	private final List<FallbackEventListener> listeners;

	/** What ends each entry model's subscription to this client's listeners. */
	private final List<Runnable> subscriptions;

	ChainRuntime(ResilientChatClient.Builder builder) {
		this.deadline = builder.deadline;
		this.minAttemptTime = builder.minAttemptTime;
		this.retry = builder.retry;
		this.clock = builder.clock;
		this.random = builder.random;
		this.retryRunner = new SpringRetryRunner(builder.sleeper);
		this.lastGoodStore = builder.lastGoodStore;
		this.keyResolver = builder.keyResolver;
		this.degradedMessage = builder.degradedMessage;
		this.listeners = List.copyOf(builder.listeners);
		this.observationRegistry = builder.observationRegistry;
		this.callConvention = builder.callObservationConvention;
		this.attemptConvention = builder.attemptObservationConvention;
		this.capabilities = EntryCapabilities.of(builder.entries);
		this.responseValidator = builder.responseValidator;
		this.continuationInstruction = builder.streamContinuation ? builder.continuationInstruction : null;
		this.panic = new ChainPanic(builder.panicEnabled, builder.panicThreshold, this.clock);
		this.fallbackFloor = (builder.fallbackFloor != null) ? builder.fallbackFloor : builder.deadline.dividedBy(3);
		Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
		List<ResolvedEntry> chain = new ArrayList<>();
		for (ChainEntry entry : builder.entries) {
			CircuitBreaker breaker = new CircuitBreaker(entry.name(),
					ResolvedEntry.circuitBreaker(entry, builder.circuitBreakerSettings), this.clock,
					(transition) -> publish(CircuitStateChangedEvent.of(transition)),
					builder.sharedCircuitState);
			breakers.put(entry.name(), breaker);
			FailureClassifier own = (builder.classifier != null) ? builder.classifier
					: entry.entryModel().classifier();
			chain.add(ResolvedEntry.of(entry, builder.timeout, builder.retry.maxAttempts(), builder.firstTokenTimeout,
					builder.idleTimeout, builder.classifierWrapper.apply(own), breaker, builder.policy,
					(builder.retryBudget != null)
							? builder.retryBudgetFactory.create(entry.name(), builder.retryBudget, this.clock) : null,
					concurrencyLimit(builder, entry.name())));
		}
		this.breakers = Collections.unmodifiableMap(breakers);
		this.chain = List.copyOf(chain);
		this.hedging = builder.entries.stream().anyMatch((entry) -> entry.hedge() != null)
				? new Hedging(builder.hedgeBudget, builder.hedgeMinPerSecond, this.clock) : null;
		this.secrets = builder.entries.stream()
			.flatMap((entry) -> entry.entryModel().secrets().stream())
			.filter(Objects::nonNull)
			.distinct()
			.toList();
		// Entry models with circuits of their own (deployments) tell this client's listeners.
		FallbackEventListener entryEvents = this::publish;
		this.subscriptions = builder.entries.stream()
			.map((entry) -> entry.entryModel().publishTo(entryEvents))
			.toList();
	}

	private static ConcurrencyLimit concurrencyLimit(ResilientChatClient.Builder builder, String entry) {
		int limit = builder.entryConcurrency.getOrDefault(entry, builder.maxConcurrentCalls);
		return (limit > 0) ? new ConcurrencyLimit(limit, builder.concurrencyWait) : null;
	}

	/** End the entry models' subscriptions to this client's listeners: the client is closed. */
	void close() {
		this.subscriptions.forEach(Runnable::run);
	}

	/**
	 * Tell every listener; whatever one throws (but the JVM's own errors) is logged. A
	 * circuit's change may take the chain into panic mode or out of it: that is told too.
	 */
	void publish(FallbackEvent event) {
		tell(event);
		if (event instanceof CircuitStateChangedEvent && this.chain != null) {
			PanicModeEvent panicked = this.panic.update(this.chain);
			if (panicked != null) {
				if (panicked.entered()) {
					logger.warn("AI fallback: panic mode: entries {} are out on inferred evidence; calls that every "
							+ "entry refuses go to the one most likely to answer", panicked.inferredOut());
				}
				else {
					logger.info("AI fallback: panic mode over");
				}
				tell(panicked);
			}
		}
	}

	private void tell(FallbackEvent event) {
		for (FallbackEventListener listener : this.listeners) {
			try {
				listener.onEvent(event);
			}
			catch (Throwable ex) {
				Fatal.rethrowIfFatal(ex);
				logger.warn("AI fallback: event listener {} failed on {}: {}", listener.getClass().getName(),
						event.getClass().getSimpleName(), ex.toString());
			}
		}
	}

}

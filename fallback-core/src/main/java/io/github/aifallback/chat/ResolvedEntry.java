package io.github.aifallback.chat;

import java.time.Duration;

import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.failure.FailureClassifier;

/**
 * One chain entry as a call uses it: every setting resolved once, when the client is
 * built ("the entry's value, else the chain's"), with its classifier and its circuit
 * breaker. Immutable; calls read it, never resolve anything themselves.
 *
 * @param name the entry's name
 * @param model the model id
 * @param entryModel makes the attempts
 * @param timeout the attempt timeout
 * @param maxAttempts the attempts on this entry, the first included
 * @param firstTokenTimeout when streaming, the longest wait for the first token
 * @param idleTimeout when streaming, the longest gap between two chunks
 * @param classifier classifies this entry's failures
 * @param breaker this entry's circuit breaker
 * @param policy this entry's action per failure kind
 * @param retryBudget this entry's retry budget, or {@code null} when retries are not budgeted
 * @param hedge when this entry is hedged, or {@code null} when it is not
 * @param concurrencyLimit this entry's bulkhead, or {@code null} when it has none
 */
record ResolvedEntry(String name, String model, EntryModel entryModel, Duration timeout, int maxAttempts,
		Duration firstTokenTimeout, Duration idleTimeout, FailureClassifier classifier, CircuitBreaker breaker,
		FallbackPolicy policy, RetryBudget retryBudget, EntryHedge hedge, ConcurrencyLimit concurrencyLimit) {

	static ResolvedEntry of(ChainEntry entry, Duration timeout, int maxAttempts, Duration firstTokenTimeout,
			Duration idleTimeout, FailureClassifier classifier, CircuitBreaker breaker, FallbackPolicy policy,
			RetryBudget retryBudget, ConcurrencyLimit concurrencyLimit) {
		return new ResolvedEntry(entry.name(), entry.model(), entry.entryModel(),
				(entry.timeout() != null) ? entry.timeout() : timeout,
				(entry.maxAttempts() != null) ? entry.maxAttempts() : maxAttempts,
				(entry.firstTokenTimeout() != null) ? entry.firstTokenTimeout() : firstTokenTimeout,
				(entry.idleTimeout() != null) ? entry.idleTimeout() : idleTimeout, classifier, breaker,
				(entry.policy() != null) ? entry.policy() : policy, retryBudget,
				(entry.hedge() != null) ? new EntryHedge(entry.hedge()) : null, concurrencyLimit);
	}

	/** The circuit breaker settings of an entry: its own, else the chain's. */
	static CircuitBreakerSettings circuitBreaker(ChainEntry entry, CircuitBreakerSettings chain) {
		return (entry.circuitBreaker() != null) ? entry.circuitBreaker() : chain;
	}

}

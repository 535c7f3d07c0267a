package io.github.aifallback.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.github.aifallback.chat.Capability;
import io.github.aifallback.chat.FallbackPolicy;
import io.github.aifallback.chat.HedgeSettings;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;

/**
 * One chain entry's settings, merged with its override and the defaults, resolved against
 * the chain's and checked, once at start-up: everything downstream (the provider factories,
 * the chain's assembly) reads this and nothing else. The entry's own values stay
 * {@code null} where the engine applies the chain's (it resolves them the same way for an
 * entry built in code).
 *
 * @param property the entry's property prefix, e.g. {@code ai.fallback.chain[0]}
 * @param name the entry's name, unique in the chain
 * @param label the model shown for the entry
 * @param timeout the entry's own attempt timeout, or {@code null}
 * @param attemptTimeout the timeout its endpoints are built with: its own, else the chain's
 * @param maxAttempts its own attempts, or {@code null}
 * @param firstTokenTimeout its own first-token timeout, or {@code null}
 * @param idleTimeout its own idle timeout, or {@code null}
 * @param maxConcurrentCalls its own concurrency limit, or {@code null}
 * @param ownCircuitBreaker its own breaker over the chain's, or {@code null}
 * @param circuitBreaker the breaker it runs with (its deployments' too)
 * @param policy its own actions over the chain's, or {@code null}
 * @param capabilities what it can do, or {@code null}
 * @param contextWindow its context window, or {@code null}
 * @param hedge its hedging, or {@code null}
 * @param options its default options
 * @param endpoint its one endpoint, or {@code null} when it has deployments
 * @param deployments its deployments, empty when it has one endpoint
 * @param skipWhenRateLimited whether the chain skips it while its provider says nothing is
 * left
 */
record ResolvedEntrySettings(String property, String name, String label, Duration timeout, Duration attemptTimeout,
		Integer maxAttempts, Duration firstTokenTimeout, Duration idleTimeout, Integer maxConcurrentCalls,
		CircuitBreakerSettings ownCircuitBreaker, CircuitBreakerSettings circuitBreaker, FallbackPolicy policy,
		Set<Capability> capabilities, Integer contextWindow, HedgeSettings hedge, DefaultOptions options,
		ResolvedEndpoint endpoint, List<Deployment> deployments, boolean skipWhenRateLimited) {

	ResolvedEntrySettings {
		deployments = List.copyOf(deployments);
	}

	/**
	 * One deployment of an entry.
	 * @param index its place under the entry's {@code deployments}
	 * @param endpoint where it sends requests
	 * @param weight its share of the entry's traffic
	 */
	record Deployment(int index, ResolvedEndpoint endpoint, int weight) {
	}

	/**
	 * Options filled into each request where the caller set none.
	 * @param temperature the temperature, or {@code null}
	 * @param maxTokens the most tokens of an answer, or {@code null}
	 * @param topP the top-p, or {@code null}
	 */
	record DefaultOptions(Double temperature, Integer maxTokens, Double topP) {
	}

}

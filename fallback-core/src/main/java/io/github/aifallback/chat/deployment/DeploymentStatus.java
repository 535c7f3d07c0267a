package io.github.aifallback.chat.deployment;

import io.github.aifallback.chat.circuit.CircuitSnapshot;

/**
 * One deployment's recorded state, for health and the endpoint: never a key.
 *
 * @param label the deployment's label
 * @param target where it sends requests, redacted, or {@code null}
 * @param weight its weight
 * @param circuit its circuit breaker's state
 * @param rateLimits what its provider said about its limits, or {@code null} when not read
 * @since 0.1.0
 */
public record DeploymentStatus(String label, String target, int weight, CircuitSnapshot circuit,
		RateLimitSnapshot rateLimits) {

}

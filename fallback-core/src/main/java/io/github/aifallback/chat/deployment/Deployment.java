package io.github.aifallback.chat.deployment;

import java.util.Objects;

import io.github.aifallback.chat.entry.EntryModel;

/**
 * One endpoint behind a chain entry: its own model (URL and key), its weight, and the
 * rate-limit state its transport records.
 *
 * @param label how health and logs name it ({@code deployment-0}); never a key
 * @param target where it sends requests, redacted for display
 * ({@link io.github.aifallback.chat.failure.UrlRedaction}), or {@code null}
 * @param model makes its attempts
 * @param weight its share of the traffic, at least 1
 * @param rateLimits what its provider said about its limits, or {@code null} when not read
 * @since 0.1.0
 */
public record Deployment(String label, String target, EntryModel model, int weight, RateLimitState rateLimits) {

	/**
	 * Validate the deployment.
	 */
	public Deployment {
		Objects.requireNonNull(label, "label");
		Objects.requireNonNull(model, "model");
		if (weight < 1) {
			throw new IllegalArgumentException("weight of deployment '" + label + "' must be at least 1");
		}
	}

	@Override
	public String toString() {
		return "Deployment[" + this.label + ", " + this.target + ", weight=" + this.weight + "]";
	}

}

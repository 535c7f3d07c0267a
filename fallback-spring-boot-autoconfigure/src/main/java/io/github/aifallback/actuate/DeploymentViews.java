package io.github.aifallback.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.circuit.CircuitSnapshot;
import io.github.aifallback.chat.deployment.DeploymentStatus;
import io.github.aifallback.chat.deployment.DeploymentsEntryModel;
import io.github.aifallback.chat.deployment.RateLimitSnapshot;

/**
 * An entry's deployments as health and the endpoint show them: label, redacted URL, weight,
 * circuit and rate-limit state. Never a key: a deployment's status holds none.
 */
final class DeploymentViews {

	private DeploymentViews() {
	}

	/** The entry's deployments' statuses, or an empty list for an entry of one endpoint. */
	static List<DeploymentStatus> of(ChainEntry entry) {
		return (entry.entryModel() instanceof DeploymentsEntryModel deployments) ? deployments.statuses() : List.of();
	}

	/** One deployment as health details: absent values left out (Boot takes no nulls). */
	static Map<String, Object> details(DeploymentStatus status) {
		Map<String, Object> details = new LinkedHashMap<>();
		CircuitSnapshot circuit = status.circuit();
		details.put("label", status.label());
		putIfPresent(details, "target", status.target());
		details.put("weight", status.weight());
		details.put("circuitState", circuit.state().name());
		details.put("consecutiveFailures", circuit.consecutiveFailures());
		details.put("successes", circuit.successes());
		details.put("failures", circuit.failures());
		putIfPresent(details, "lastFailureKind", circuit.lastFailureKind());
		putIfPresent(details, "openUntil", circuit.openUntil());
		RateLimitSnapshot rateLimits = status.rateLimits();
		if (rateLimits != null) {
			putIfKnown(details, "remainingRequests", rateLimits.remainingRequests());
			putIfKnown(details, "remainingTokens", rateLimits.remainingTokens());
			putIfPresent(details, "rateLimitedUntil", rateLimits.limitedUntil());
		}
		return details;
	}

	/** One deployment as the endpoint describes it. */
	static FallbackEndpoint.DeploymentDescriptor descriptor(DeploymentStatus status) {
		CircuitSnapshot circuit = status.circuit();
		RateLimitSnapshot rateLimits = status.rateLimits();
		return new FallbackEndpoint.DeploymentDescriptor(status.label(), status.target(), status.weight(),
				circuit.state().name(), circuit.consecutiveFailures(), circuit.successes(), circuit.failures(),
				text(circuit.lastFailureKind()), text(circuit.openUntil()),
				(rateLimits != null && rateLimits.remainingRequests() >= 0) ? rateLimits.remainingRequests() : null,
				(rateLimits != null && rateLimits.remainingTokens() >= 0) ? rateLimits.remainingTokens() : null,
				(rateLimits != null) ? text(rateLimits.limitedUntil()) : null);
	}

	private static String text(Object value) {
		return (value != null) ? value.toString() : null;
	}

	private static void putIfPresent(Map<String, Object> details, String key, Object value) {
		if (value != null) {
			details.put(key, value.toString());
		}
	}

	private static void putIfKnown(Map<String, Object> details, String key, long value) {
		if (value >= 0) {
			details.put(key, value);
		}
	}

}

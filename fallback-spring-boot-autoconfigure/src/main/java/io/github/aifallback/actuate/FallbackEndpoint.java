package io.github.aifallback.actuate;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.circuit.CircuitSnapshot;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code aifallback} endpoint: reads the chain's recorded state, and lets an operator
 * take an entry out of rotation ({@code {"state": "open"}}) or put it back with its counters
 * reset ({@code {"state": "closed"}}). It shows names, model ids and counters only: never a
 * key, a URL or a prompt. Its write operation is off until the application grants it
 * ({@code management.endpoint.aifallback.access=unrestricted}), and every change it makes is
 * logged.
 *
 * @since 0.1.0
 */
@Endpoint(id = "aifallback", defaultAccess = Access.READ_ONLY)
public class FallbackEndpoint {

	private static final Logger logger = LoggerFactory.getLogger(FallbackEndpoint.class);

	private final ResilientChatClient client;

	/**
	 * An endpoint for the given client.
	 * @param client the client whose chain to show and steer
	 */
	public FallbackEndpoint(ResilientChatClient client) {
		this.client = client;
	}

	/**
	 * The chain, in order, with each entry's circuit.
	 * @return the chain
	 */
	@ReadOperation
	public ChainDescriptor chain() {
		return new ChainDescriptor(this.client.getEntries().stream().map(this::describe).toList());
	}

	/**
	 * Force an entry's circuit open, or close it and reset its counters.
	 * @param entry the entry's name
	 * @param state {@code open} or {@code closed}
	 * @return the entry, after the change
	 * @throws InvalidEndpointRequestException when the entry or the state is unknown
	 */
	@WriteOperation
	public EntryDescriptor changeState(@Selector String entry, @Nullable String state) {
		ChainEntry chainEntry = this.client.getEntries()
			.stream()
			.filter((candidate) -> candidate.name().equals(entry))
			.findFirst()
			.orElseThrow(() -> invalid("Unknown chain entry '" + entry + "'; the chain is "
					+ this.client.getEntries().stream().map(ChainEntry::name).toList()));
		if (state == null) {
			throw invalid("Missing \"state\"; send {\"state\": \"open\"} or {\"state\": \"closed\"}");
		}
		CircuitBreaker breaker = this.client.circuitBreaker(chainEntry.name());
		switch (state.trim().toLowerCase(Locale.ROOT)) {
			case "open" -> breaker.forceOpen();
			case "closed" -> breaker.reset();
			default -> throw invalid("Unknown state '" + state + "'; use \"open\" or \"closed\"");
		}
		logger.warn("AI fallback: an operator set the circuit of '{}' to {} through the aifallback endpoint",
				chainEntry.name(), breaker.state());
		return describe(chainEntry);
	}

	private EntryDescriptor describe(ChainEntry entry) {
		CircuitSnapshot snapshot = this.client.circuitBreaker(entry.name()).snapshot();
		return new EntryDescriptor(entry.name(), entry.model(), snapshot.state().name(),
				snapshot.consecutiveFailures(), snapshot.successes(), snapshot.failures(),
				text(snapshot.lastSuccess()), text(snapshot.lastFailure()),
				(snapshot.lastFailureKind() != null) ? snapshot.lastFailureKind().name() : null,
				text(snapshot.openUntil()), deployments(entry));
	}

	private static List<DeploymentDescriptor> deployments(ChainEntry entry) {
		List<DeploymentDescriptor> deployments = DeploymentViews.of(entry)
			.stream()
			.map(DeploymentViews::descriptor)
			.toList();
		return deployments.isEmpty() ? null : deployments;
	}

	private static String text(Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

	private static InvalidEndpointRequestException invalid(String message) {
		return new InvalidEndpointRequestException(message, message);
	}

	/**
	 * The chain, in the order entries are tried.
	 *
	 * @param entries the entries
	 * @since 0.1.0
	 */
	public record ChainDescriptor(List<EntryDescriptor> entries) {

	}

	/**
	 * One entry and its circuit, as recorded.
	 *
	 * @param name the entry's name
	 * @param model the model id sent to the provider
	 * @param circuitState {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN} or
	 * {@code FORCED_OPEN}
	 * @param consecutiveFailures failures since the last success that count towards opening
	 * @param successes attempts that succeeded, since start or the last reset
	 * @param failures attempts that failed, since start or the last reset
	 * @param lastSuccess when an attempt last succeeded (ISO-8601), or {@code null}
	 * @param lastFailure when an attempt last failed (ISO-8601), or {@code null}
	 * @param lastFailureKind the kind of the last failure, or {@code null}
	 * @param openUntil when an open circuit lets a probe through (ISO-8601), or {@code null}
	 * @param deployments the entry's deployments, or {@code null} (left out of the JSON) for
	 * an entry of one endpoint
	 * @since 0.1.0
	 */
	public record EntryDescriptor(String name, String model, String circuitState, int consecutiveFailures,
			long successes, long failures, String lastSuccess, String lastFailure, String lastFailureKind,
			String openUntil, @JsonInclude(JsonInclude.Include.NON_NULL) List<DeploymentDescriptor> deployments) {

		/**
		 * An entry of one endpoint.
		 * @param name the entry's name
		 * @param model the model id
		 * @param circuitState the circuit's state
		 * @param consecutiveFailures failures since the last success that count
		 * @param successes attempts that succeeded
		 * @param failures attempts that failed
		 * @param lastSuccess when an attempt last succeeded, or {@code null}
		 * @param lastFailure when an attempt last failed, or {@code null}
		 * @param lastFailureKind the kind of the last failure, or {@code null}
		 * @param openUntil when an open circuit lets a probe through, or {@code null}
		 */
		public EntryDescriptor(String name, String model, String circuitState, int consecutiveFailures,
				long successes, long failures, String lastSuccess, String lastFailure, String lastFailureKind,
				String openUntil) {
			this(name, model, circuitState, consecutiveFailures, successes, failures, lastSuccess, lastFailure,
					lastFailureKind, openUntil, null);
		}

	}

	/**
	 * One deployment of an entry, as recorded: never its key.
	 *
	 * @param label the deployment's label ({@code deployment-0})
	 * @param target its base URL, redacted, or {@code null}
	 * @param weight its share of the entry's traffic
	 * @param circuitState the state of its own circuit
	 * @param consecutiveFailures failures since its last success that count towards opening
	 * @param successes its attempts that succeeded
	 * @param failures its attempts that failed
	 * @param lastFailureKind the kind of its last failure, or {@code null}
	 * @param openUntil when its open circuit lets a probe through (ISO-8601), or {@code null}
	 * @param remainingRequests the requests its provider last said are left, or {@code null}
	 * @param remainingTokens the tokens its provider last said are left, or {@code null}
	 * @param rateLimitedUntil until when it is avoided for its rate limit (ISO-8601), or
	 * {@code null}
	 * @since 0.1.0
	 */
	public record DeploymentDescriptor(String label, String target, int weight, String circuitState,
			int consecutiveFailures, long successes, long failures, String lastFailureKind, String openUntil,
			Long remainingRequests, Long remainingTokens, String rateLimitedUntil) {

	}

}

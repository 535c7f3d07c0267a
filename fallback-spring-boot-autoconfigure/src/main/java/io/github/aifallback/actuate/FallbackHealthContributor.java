package io.github.aifallback.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import io.github.aifallback.autoconfigure.FallbackHealthProperties;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.circuit.CircuitSnapshot;
import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.deployment.DeploymentStatus;
import io.github.aifallback.chat.fleet.FleetLink;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.StringUtils;

/**
 * The health of a {@link ResilientChatClient}'s chain: one child per entry, read from its
 * circuit breaker's recorded state only, so a health check never spends a token.
 * <p>
 * A closed or half-open circuit is {@code UP}; an open or forced-open one reports the
 * configured {@link FallbackHealthProperties#getOpenStatus() open status} while another entry
 * can still serve, and every entry reports the {@link FallbackHealthProperties#getAllOpenStatus()
 * all-open status} once none can (panic mode is serving: the chain still sends calls to the
 * entries out on inferred evidence). Details carry each circuit's failure and slow-call rates,
 * what keeps it out, and whether the chain panics.
 *
 * @since 0.1.0
 */
public class FallbackHealthContributor implements CompositeHealthContributor {

	private final ResilientChatClient client;

	private final Status openStatus;

	private final Status allOpenStatus;

	private final CompositeHealthContributor entries;

	private final FleetLink fleetLink;

	/**
	 * A contributor for the given client.
	 * @param client the client whose chain to report
	 * @param properties how circuit states map to statuses
	 */
	public FallbackHealthContributor(ResilientChatClient client, FallbackHealthProperties properties) {
		this(client, properties, null);
	}

	/**
	 * A contributor for the given client, whose entries also say whether the instance's link
	 * to its fleet is up ({@code fleet: up|down}); the link never changes an entry's status,
	 * since an instance whose link is down goes on serving from its own state.
	 * @param client the client whose chain to report
	 * @param properties how circuit states map to statuses
	 * @param fleetLink the link to the fleet, or {@code null} without a fleet
	 * @since 0.1.0
	 */
	public FallbackHealthContributor(ResilientChatClient client, FallbackHealthProperties properties,
			FleetLink fleetLink) {
		this.client = client;
		this.fleetLink = fleetLink;
		this.openStatus = status(properties.getOpenStatus(), "open-status");
		this.allOpenStatus = status(properties.getAllOpenStatus(), "all-open-status");
		Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
		for (ChainEntry entry : client.getEntries()) {
			indicators.put(entry.name(), () -> health(entry));
		}
		this.entries = CompositeHealthContributor.fromMap(indicators);
	}

	@Override
	public HealthContributor getContributor(String name) {
		return this.entries.getContributor(name);
	}

	@Override
	public Stream<Entry> stream() {
		return this.entries.stream();
	}

	private Health health(ChainEntry entry) {
		List<CircuitSnapshot> snapshots = this.client.getCircuitBreakers()
			.stream()
			.map(CircuitBreaker::snapshot)
			.toList();
		// An open circuit whose open period has ended will let the next call probe it: the chain
		// can serve again. Counting it as open would keep the application DOWN, so a load
		// balancer would send no call, so no probe would ever close the circuit.
		// In panic mode the chain still sends calls to the entries out on inferred evidence only.
		boolean panic = this.client.inPanic();
		boolean noneCanServe = !panic && this.client.getCircuitBreakers()
			.stream()
			.allMatch((breaker) -> isOpen(breaker.state()) && !breaker.isAvailable());
		CircuitSnapshot snapshot = snapshots.stream()
			.filter((candidate) -> candidate.entry().equals(entry.name()))
			.findFirst()
			.orElseThrow();
		Status status = !isOpen(snapshot.state()) ? Status.UP : (noneCanServe ? this.allOpenStatus : this.openStatus);
		Health.Builder health = Health.status(status)
			.withDetail("model", entry.model())
			.withDetail("circuitState", snapshot.state().name())
			.withDetail("consecutiveFailures", snapshot.consecutiveFailures())
			.withDetail("successes", snapshot.successes())
			.withDetail("failures", snapshot.failures());
		// Absent rather than null: Boot's health details take no null values.
		addIfPresent(health, "lastSuccess", snapshot.lastSuccess());
		addIfPresent(health, "lastFailure", snapshot.lastFailure());
		addIfPresent(health, "lastFailureKind", snapshot.lastFailureKind());
		addIfPresent(health, "openUntil", snapshot.openUntil());
		if (snapshot.failureRate() >= 0) {
			health.withDetail("failureRate", snapshot.failureRate());
		}
		if (snapshot.slowCallRate() >= 0) {
			health.withDetail("slowCallRate", snapshot.slowCallRate());
		}
		addIfPresent(health, "keptOutBy", (snapshot.evidence() != null) ? snapshot.evidence().name() : null);
		addIfPresent(health, "retryAfterUntil", snapshot.retryAfterUntil());
		addIfPresent(health, "slowStartUntil", snapshot.slowStartUntil());
		health.withDetail("chainPanic", panic);
		if (this.fleetLink != null) {
			health.withDetail("fleet", this.fleetLink.isUp() ? "up" : "down");
		}
		List<DeploymentStatus> deployments = DeploymentViews.of(entry);
		if (!deployments.isEmpty()) {
			health.withDetail("deployments", deployments.stream().map(DeploymentViews::details).toList());
		}
		return health.build();
	}

	private static void addIfPresent(Health.Builder health, String key, Object value) {
		if (value != null) {
			health.withDetail(key, value.toString());
		}
	}

	static boolean isOpen(CircuitState state) {
		return state == CircuitState.OPEN || state == CircuitState.FORCED_OPEN;
	}

	private static Status status(String code, String property) {
		if (!StringUtils.hasText(code)) {
			throw new IllegalArgumentException("ai.fallback.health." + property + " must name a health status");
		}
		return new Status(code.trim().toUpperCase(Locale.ROOT));
	}

}

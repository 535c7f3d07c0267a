package io.github.aifallback.chat;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.entry.EntryModel;

/**
 * One model of the fallback chain: its label, the model id sent to the provider, how to
 * reach it, and optional overrides of the chain-wide timeout and attempts.
 *
 * @param name the label used in logs, metadata, health and metrics
 * @param model the model id sent to the provider
 * @param entryModel makes the attempts
 * @param timeout this entry's attempt timeout, or {@code null} for the chain's
 * @param maxAttempts this entry's attempts, or {@code null} for the chain's
 * @param firstTokenTimeout when streaming, the longest wait for the first token, or
 * {@code null} for the chain's
 * @param idleTimeout when streaming, the longest gap between two chunks, or {@code null}
 * for the chain's
 * @param circuitBreaker this entry's circuit breaker settings, or {@code null} for the
 * chain's
 * @param policy this entry's action per failure kind, or {@code null} for the chain's
 * @param capabilities what the model can do beyond text, or {@code null} when unknown
 * (then it is assumed able to serve any request); requests needing anything else skip the
 * entry
 * @param contextWindow the model's context window in tokens, or {@code null} when unknown;
 * a request whose estimated prompt is larger skips the entry
 * @param hedge when a slow attempt of this entry is raced against the next entry, or
 * {@code null} (the default) for never
 * @since 0.1.0
 */
public record ChainEntry(String name, String model, EntryModel entryModel, Duration timeout, Integer maxAttempts,
		Duration firstTokenTimeout, Duration idleTimeout, CircuitBreakerSettings circuitBreaker, FallbackPolicy policy,
		Set<Capability> capabilities, Integer contextWindow, HedgeSettings hedge) {

	/**
	 * Validate the entry.
	 */
	public ChainEntry {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(model, "model");
		Objects.requireNonNull(entryModel, "entryModel");
		requirePositive(name, "timeout", timeout);
		requirePositive(name, "firstTokenTimeout", firstTokenTimeout);
		requirePositive(name, "idleTimeout", idleTimeout);
		if (maxAttempts != null && maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts of entry '" + name + "' must be at least 1");
		}
		if (contextWindow != null && contextWindow < 1) {
			throw new IllegalArgumentException("contextWindow of entry '" + name + "' must be at least 1");
		}
		capabilities = (capabilities != null) ? Set.copyOf(capabilities) : null;
	}

	/**
	 * An entry with no declared capabilities or context window, not hedged.
	 * @param name the label
	 * @param model the model id
	 * @param entryModel makes the attempts
	 * @param timeout the attempt timeout, or {@code null}
	 * @param maxAttempts the attempts, or {@code null}
	 * @param firstTokenTimeout the streaming first-token timeout, or {@code null}
	 * @param idleTimeout the streaming idle timeout, or {@code null}
	 * @param circuitBreaker the circuit breaker settings, or {@code null}
	 * @param policy the action per failure kind, or {@code null}
	 * @since 0.1.0
	 */
	public ChainEntry(String name, String model, EntryModel entryModel, Duration timeout, Integer maxAttempts,
			Duration firstTokenTimeout, Duration idleTimeout, CircuitBreakerSettings circuitBreaker,
			FallbackPolicy policy) {
		this(name, model, entryModel, timeout, maxAttempts, firstTokenTimeout, idleTimeout, circuitBreaker, policy,
				null, null, null);
	}

	/**
	 * An entry with the chain's circuit breaker settings and policy.
	 * @param name the label
	 * @param model the model id
	 * @param entryModel makes the attempts
	 * @param timeout the attempt timeout, or {@code null}
	 * @param maxAttempts the attempts, or {@code null}
	 * @param firstTokenTimeout the streaming first-token timeout, or {@code null}
	 * @param idleTimeout the streaming idle timeout, or {@code null}
	 */
	public ChainEntry(String name, String model, EntryModel entryModel, Duration timeout, Integer maxAttempts,
			Duration firstTokenTimeout, Duration idleTimeout) {
		this(name, model, entryModel, timeout, maxAttempts, firstTokenTimeout, idleTimeout, null, null);
	}

	/**
	 * This entry with its own circuit breaker settings.
	 * @param settings the settings, or {@code null} for the chain's
	 * @return a new entry
	 * @since 0.1.0
	 */
	public ChainEntry withCircuitBreaker(CircuitBreakerSettings settings) {
		return new ChainEntry(this.name, this.model, this.entryModel, this.timeout, this.maxAttempts,
				this.firstTokenTimeout, this.idleTimeout, settings, this.policy, this.capabilities, this.contextWindow,
				this.hedge);
	}

	/**
	 * This entry with its own action per failure kind.
	 * @param policy the policy, or {@code null} for the chain's
	 * @return a new entry
	 * @since 0.1.0
	 */
	public ChainEntry withPolicy(FallbackPolicy policy) {
		return new ChainEntry(this.name, this.model, this.entryModel, this.timeout, this.maxAttempts,
				this.firstTokenTimeout, this.idleTimeout, this.circuitBreaker, policy, this.capabilities,
				this.contextWindow, this.hedge);
	}

	/**
	 * This entry with the capabilities its model has beyond text.
	 * @param capabilities the capabilities (empty: text only), or {@code null} for unknown
	 * @return a new entry
	 * @since 0.1.0
	 */
	public ChainEntry withCapabilities(Set<Capability> capabilities) {
		return new ChainEntry(this.name, this.model, this.entryModel, this.timeout, this.maxAttempts,
				this.firstTokenTimeout, this.idleTimeout, this.circuitBreaker, this.policy, capabilities,
				this.contextWindow, this.hedge);
	}

	/**
	 * This entry with its model's context window.
	 * @param contextWindow the window in tokens, or {@code null} for unknown
	 * @return a new entry
	 * @since 0.1.0
	 */
	public ChainEntry withContextWindow(Integer contextWindow) {
		return new ChainEntry(this.name, this.model, this.entryModel, this.timeout, this.maxAttempts,
				this.firstTokenTimeout, this.idleTimeout, this.circuitBreaker, this.policy, this.capabilities,
				contextWindow, this.hedge);
	}

	/**
	 * This entry, hedged: when its attempt is slow, the next entry starts in parallel and
	 * the first answer wins.
	 * @param hedge the hedge settings, or {@code null} for never
	 * @return a new entry
	 * @since 0.1.0
	 */
	public ChainEntry withHedge(HedgeSettings hedge) {
		return new ChainEntry(this.name, this.model, this.entryModel, this.timeout, this.maxAttempts,
				this.firstTokenTimeout, this.idleTimeout, this.circuitBreaker, this.policy, this.capabilities,
				this.contextWindow, hedge);
	}

	/**
	 * An entry with the chain's streaming timeouts.
	 * @param name the label
	 * @param model the model id
	 * @param entryModel makes the attempts
	 * @param timeout the attempt timeout, or {@code null}
	 * @param maxAttempts the attempts, or {@code null}
	 */
	public ChainEntry(String name, String model, EntryModel entryModel, Duration timeout, Integer maxAttempts) {
		this(name, model, entryModel, timeout, maxAttempts, null, null);
	}

	/**
	 * An entry using the chain's timeout and attempts.
	 * @param name the label
	 * @param model the model id
	 * @param entryModel makes the attempts
	 * @return the entry
	 */
	public static ChainEntry of(String name, String model, EntryModel entryModel) {
		return new ChainEntry(name, model, entryModel, null, null);
	}

	private static void requirePositive(String name, String what, Duration duration) {
		if (duration != null && (duration.isZero() || duration.isNegative())) {
			throw new IllegalArgumentException(what + " of entry '" + name + "' must be positive");
		}
	}

	@Override
	public String toString() {
		return "ChainEntry[name=" + this.name + ", model=" + this.model + "]";
	}

}

package io.github.aifallback.chat.circuit;

import java.time.Duration;
import java.time.Instant;

/**
 * What a fleet of instances knows about circuits, shared between them (for example over
 * Redis): a {@link CircuitBreaker} given one publishes its openings and closings to it,
 * follows the openings other instances published, and sends a probe only when the fleet
 * leaves the probe of that open period to this instance.
 * <p>
 * Every method is called on the callers' threads, some under the breaker's lock: none may
 * block, wait for the network or throw. Implementations answer from memory and talk to the
 * shared store on threads of their own; when that store is slow or down they answer as if
 * this instance were alone ({@code null} from {@link #openUntil(String)}, {@code true} from
 * {@link #mayProbe(String, Instant)}). Breakers are keyed by their name (an entry's name, or
 * a deployment's breaker name).
 *
 * @since 0.1.0
 */
public interface SharedCircuitState {

	/**
	 * What {@link #openUntil(String)} returns when the fleet's last word is that the circuit
	 * closed (a probe succeeded somewhere): an instance waiting for the fleet's probe closes.
	 */
	Instant CLOSED = Instant.EPOCH;

	/**
	 * A breaker of this name exists here: its shared state is worth following.
	 * @param breaker the breaker's name
	 */
	default void track(String breaker) {
	}

	/**
	 * The fleet's last word on the breaker, as known here: the instant until which it is
	 * open, {@link #CLOSED}, or {@code null} when the fleet says nothing. From memory only.
	 * @param breaker the breaker's name
	 * @return the open-until instant, {@link #CLOSED} or {@code null}
	 */
	Instant openUntil(String breaker);

	/**
	 * This instance opened the breaker: tell the fleet (asynchronously).
	 * @param breaker the breaker's name
	 * @param openUntil until when, Retry-After and quota windows included
	 * @param openFor how long from now, so that the shared record can expire by itself
	 */
	void opened(String breaker, Instant openUntil, Duration openFor);

	/**
	 * This instance's probe succeeded, or an operator reset the breaker here: tell the fleet
	 * (asynchronously).
	 * @param breaker the breaker's name
	 */
	void closed(String breaker);

	/**
	 * Whether this instance may send the probe of the open period that ended at
	 * {@code openUntil}: one instance of the fleet gets it. Never waits: while the fleet has
	 * not answered the answer is {@code false}; when the fleet cannot answer in time, or is
	 * unreachable, {@code true} (each instance then probes on its own, as without a fleet).
	 * @param breaker the breaker's name
	 * @param openUntil the end of the open period, which names it
	 * @return whether to probe now
	 */
	boolean mayProbe(String breaker, Instant openUntil);

}

package io.github.aifallback.chat.circuit;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a fleet of instances knows about circuits, shared between them (for example over
 * Redis): a {@link CircuitBreaker} given one publishes its openings, closings and the
 * {@code Retry-After}s it was sent, follows those other instances published, and sends a
 * probe only when the fleet leaves the probe of that open period to this instance.
 * <p>
 * What the fleet says is data from peers that may be broken or hostile: a {@link Word}
 * carries a remaining duration, never an instant of another machine's clock, and the
 * breaker caps it by its own {@code max-open-duration} when it first sees it.
 * <p>
 * Every method is called on the callers' threads, some under the breaker's lock: none may
 * block, wait for the network or throw. Implementations answer from memory and talk to the
 * shared store on threads of their own; when that store is slow or down they answer as if
 * this instance were alone ({@code null} words, {@code true} from
 * {@link #mayProbe(String, Instant)}). Breakers are keyed by their name (an entry's name, or
 * a deployment's breaker name).
 *
 * @since 0.1.0
 */
public interface SharedCircuitState {

	/**
	 * A breaker of this name exists here: its shared state is worth following.
	 * @param breaker the breaker's name
	 */
	default void track(String breaker) {
	}

	/**
	 * The fleet's last word on the breaker's circuit, as known here, or {@code null} when
	 * the fleet says nothing (no record, or none that verified). From memory only; a word
	 * this instance published is visible here at once.
	 * @param breaker the breaker's name
	 * @return the word, or {@code null}
	 */
	Word word(String breaker);

	/**
	 * This instance opened the breaker: tell the fleet (asynchronously).
	 * @param breaker the breaker's name
	 * @param openUntil until when, on this instance's clock (not shared: clocks differ)
	 * @param openFor how long from now, Retry-After and quota windows included: what is shared
	 */
	void opened(String breaker, Instant openUntil, Duration openFor);

	/**
	 * This instance's probe succeeded, or an operator reset the breaker here: tell the fleet
	 * (asynchronously). Every instance that follows the fleet closes, whatever its state.
	 * @param breaker the breaker's name
	 */
	void closed(String breaker);

	/**
	 * Whether this instance may send the probe of the open period the fleet's current word
	 * names: one instance of the fleet gets it. Never waits: while the fleet has not
	 * answered the answer is {@code false}; when the fleet is unreachable, {@code true} (each
	 * instance then probes on its own, as without a fleet).
	 * @param breaker the breaker's name
	 * @param openUntil the end of the open period on this instance's clock
	 * @return whether to probe now
	 */
	boolean mayProbe(String breaker, Instant openUntil);

	/**
	 * This instance was told by the provider to wait: tell the fleet (asynchronously), so
	 * that no instance calls it for that long.
	 * @param breaker the breaker's name
	 * @param wait the provider's Retry-After, already capped by max-open-duration
	 * @since 0.1.0
	 */
	default void retryAfter(String breaker, Duration wait) {
	}

	/**
	 * The fleet's Retry-After in force for the breaker, as known here, or {@code null}.
	 * @param breaker the breaker's name
	 * @return an open word whose remaining time is the wait left, or {@code null}
	 * @since 0.1.0
	 */
	default Word retryAfter(String breaker) {
		return null;
	}

	/**
	 * One word of the fleet on one breaker: open for a remaining time, or closed. The id
	 * names the word (one opening, one closing): a breaker acts on each word once, so a
	 * word read again can neither extend an open period nor close a later one.
	 *
	 * @param id names this word; a new opening or closing has a new id
	 * @param open whether the word says open ({@code false}: closed, by a probe or a reset)
	 * @param remaining for an open word, how much of the open period was left when it was
	 * read, as measured by the shared store's clock (zero or negative when over); zero for
	 * a closed word
	 * @since 0.1.0
	 */
	record Word(String id, boolean open, Duration remaining) {

		/**
		 * Validate the word.
		 */
		public Word {
			Objects.requireNonNull(id, "id");
			Objects.requireNonNull(remaining, "remaining");
		}

		/**
		 * An open word.
		 * @param id names the opening
		 * @param remaining how long it stays open
		 * @return the word
		 */
		public static Word opened(String id, Duration remaining) {
			return new Word(id, true, remaining);
		}

		/**
		 * A closed word.
		 * @param id names the closing
		 * @return the word
		 */
		public static Word closed(String id) {
			return new Word(id, false, Duration.ZERO);
		}

	}

}

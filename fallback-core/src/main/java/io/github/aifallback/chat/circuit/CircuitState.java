package io.github.aifallback.chat.circuit;

/**
 * The state of one chain entry's circuit breaker.
 *
 * @since 0.1.0
 */
public enum CircuitState {

	/** Requests flow; consecutive failures are counted. */
	CLOSED,

	/** The entry is skipped until its open period ends. */
	OPEN,

	/** The open period ended: one probe call at a time decides between closed and open. */
	HALF_OPEN,

	/** An operator took the entry out of rotation; only an operator puts it back. */
	FORCED_OPEN

}

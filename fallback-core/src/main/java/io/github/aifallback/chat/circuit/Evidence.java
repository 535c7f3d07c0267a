package io.github.aifallback.chat.circuit;

/**
 * Why a circuit keeps its entry out of rotation. Panic mode overrides inferred evidence
 * only: a provider that said it will not serve, or an operator, is always obeyed.
 *
 * @since 0.1.0
 */
public enum Evidence {

	/**
	 * Inferred from failures that may not be the provider's alone: timeouts, connection
	 * errors, server errors, rate limits without a {@code Retry-After}, slow calls.
	 */
	INFERRED,

	/**
	 * The provider's explicit word: a {@code Retry-After} still in force, quota exhausted,
	 * authentication refused, no such model.
	 */
	EXPLICIT,

	/** An operator forced the circuit open. */
	OPERATOR

}

/**
 * Circuit breaking per chain entry: the permit-based {@link io.github.aifallback.chat.circuit.CircuitBreaker},
 * its settings, states and snapshots.
 */
package io.github.aifallback.chat.circuit;

/**
 * What the chain tells {@link io.github.aifallback.chat.event.FallbackEventListener}s: attempts,
 * fallbacks, circuit changes, degraded answers and finished calls, as immutable events.
 */
package io.github.aifallback.chat.event;

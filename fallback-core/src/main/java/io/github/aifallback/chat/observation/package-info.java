/**
 * The chain's Micrometer observations: one {@code ai.fallback.call} per call through the
 * chain, with a child {@code ai.fallback.attempt} per attempt and a child
 * {@code ai.fallback.backoff} per wait before a retry; their contexts and their overridable
 * conventions.
 */
package io.github.aifallback.chat.observation;

package io.github.aifallback.chat.event;

import java.time.Instant;

import io.github.aifallback.chat.failure.FailureKind;

/**
 * The chain left an entry for the next one.
 *
 * @param entry the entry left
 * @param next the entry tried next
 * @param kind the failure that made it move on
 * @param time when it moved on
 * @since 0.1.0
 */
public record FellBackEvent(String entry, String next, FailureKind kind, Instant time) implements FallbackEvent {

}

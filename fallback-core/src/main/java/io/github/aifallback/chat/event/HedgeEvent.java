package io.github.aifallback.chat.event;

import java.time.Instant;

/**
 * A hedged attempt ended: the entry answered first ({@code won}) or was cancelled because
 * the other one did ({@code lost}). One event per entry of the race; an entry that failed
 * has its {@link AttemptFailedEvent} instead.
 *
 * @param entry the entry
 * @param hedge whether the entry was the one started as the hedge (not the slow primary)
 * @param won whether its answer was served
 * @param time when the race ended
 * @since 0.1.0
 */
public record HedgeEvent(String entry, boolean hedge, boolean won, Instant time) implements FallbackEvent {

}

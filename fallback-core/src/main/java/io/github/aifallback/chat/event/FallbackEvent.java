package io.github.aifallback.chat.event;

import java.time.Instant;

/**
 * Something the chain did, delivered to {@link FallbackEventListener}s. Events are
 * immutable values.
 *
 * @since 0.1.0
 */
public interface FallbackEvent {

	/**
	 * The entry the event is about.
	 * @return the entry's name
	 */
	String entry();

	/**
	 * When it happened.
	 * @return the time
	 */
	Instant time();

}

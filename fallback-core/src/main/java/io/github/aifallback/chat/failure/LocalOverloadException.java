package io.github.aifallback.chat.failure;

import io.github.aifallback.chat.entry.EntryModel;

/**
 * Thrown by an {@link EntryModel} that cannot start an attempt because this side is
 * overloaded (its own threads, pool or queue are full), before any request is sent. The
 * chain moves on to the next entry at once, as past an open circuit: no attempt is counted,
 * nothing is recorded against the provider's circuit, and the permit goes back unused.
 *
 * @since 0.1.0
 */
public class LocalOverloadException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create the exception.
	 * @param message what is full, for the call's metadata and the debug log
	 */
	public LocalOverloadException(String message) {
		super(message);
	}

}

package io.github.aifallback.chat.model;

import io.github.aifallback.chat.failure.LocalOverloadException;

/**
 * Thrown when every thread of a {@link ChatModelEntryModel} is still running a call (calls
 * in flight, or abandoned at their timeout and not yet ended): the entry refuses a new call
 * at once instead of queueing it. It is this side's overload, not the provider's failure: the
 * chain moves on to the next entry without counting it against the entry's circuit.
 *
 * @since 0.1.0
 */
public class EntryBusyException extends LocalOverloadException {

	EntryBusyException(int maxThreads) {
		super("All " + maxThreads + " threads of this entry are busy (calls in flight or abandoned at their timeout)");
	}

}

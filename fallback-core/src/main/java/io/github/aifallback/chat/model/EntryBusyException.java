package io.github.aifallback.chat.model;

/**
 * Thrown when every thread of a {@link ChatModelEntryModel} is still running a call (calls
 * in flight, or abandoned at their timeout and not yet ended): the entry refuses a new call
 * at once instead of queueing it. Classified as {@link io.github.aifallback.chat.FailureKind#SERVER_ERROR}
 * (retried after a backoff, then the chain falls back), as an overloaded server would be.
 *
 * @since 0.2.0
 */
public class EntryBusyException extends RuntimeException {

	EntryBusyException(int maxThreads) {
		super("All " + maxThreads + " threads of this entry are busy (calls in flight or abandoned at their timeout)");
	}

}

package io.github.aifallback.chat.failure;

/**
 * What the chain does after a failed attempt of a given {@link FailureKind}.
 *
 * @since 0.1.0
 */
public enum FailureAction {

	/** Retry the same entry after a backoff, then fall back once its attempts are spent. */
	RETRY,

	/** Move on to the next entry at once. */
	FALL_BACK,

	/** Give up the whole call: no other entry would do better. */
	STOP

}

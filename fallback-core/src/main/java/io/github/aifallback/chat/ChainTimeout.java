package io.github.aifallback.chat;

import reactor.util.context.ContextView;

/**
 * Tells an entry model why the chain cancelled the stream it returned: a cancel is most
 * often a subscriber's or a lost hedge's, which says nothing of the model, but one that a
 * timeout of the chain's (first token, idle, deadline) caused is the failure of whatever the
 * model sent the stream to. An entry model that routes each stream itself (one of several
 * deployments) reads this from the stream's Reactor context and records the timeout on the
 * deployment's circuit. Internal to the adapters.
 *
 * @since 0.3.0
 */
public final class ChainTimeout {

	/** The Reactor context key under which the chain puts each streaming attempt's. */
	static final Object KEY = ChainTimeout.class;

	private static final ChainTimeout NONE = new ChainTimeout();

	private volatile boolean fired;

	ChainTimeout() {
	}

	/**
	 * The attempt's, from the context of the stream the chain subscribed to.
	 * @param context the stream's Reactor context
	 * @return the attempt's, or one that never fires when the chain put none
	 */
	public static ChainTimeout from(ContextView context) {
		Object found = context.getOrDefault(KEY, NONE);
		return (found instanceof ChainTimeout timeout) ? timeout : NONE;
	}

	/**
	 * Whether a timeout of the chain's expired: read when the stream is cancelled, it says
	 * the cancel is the model's failure ({@code TIMEOUT}), not an abandonment.
	 * @return whether it fired
	 */
	public boolean fired() {
		return this.fired;
	}

	/** Before the stream is cancelled by the timeout. */
	void fire() {
		if (this != NONE) {
			this.fired = true;
		}
	}

}

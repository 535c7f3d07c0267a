package io.github.aifallback.chat.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import reactor.util.context.ContextView;

/**
 * Tells an entry model why the chain cancelled the stream it returned: a cancel is most
 * often a subscriber's or a lost hedge's, which says nothing of the model, but one that a
 * timeout of the chain's (first token, idle, deadline) caused is the failure of whatever the
 * model sent the stream to. An entry model that routes each stream itself (one of several
 * deployments) reads this from the stream's Reactor context and, when its stream is
 * cancelled, leaves the settling of its circuit permit to it: a timeout is recorded as the
 * deployment's failure, anything else gives the permit back. The chain settles each
 * streaming attempt's once, when the attempt ends, so that a timer that fired but lost the
 * race to a chunk is never taken for a timeout. Internal to the adapters.
 *
 * @since 0.1.0
 */
public final class ChainTimeout {

	/** The Reactor context key under which the chain puts each streaming attempt's. */
	public static final Object KEY = ChainTimeout.class;

	/** Outside the chain: a cancel is never a timeout of the chain's. */
	private static final ChainTimeout NONE = new ChainTimeout();

	static {
		NONE.settle(false);
	}

	private final List<Consumer<Boolean>> pending = new ArrayList<>(1);

	private boolean settled;

	private boolean timedOut;

	/** A timeout the chain has not settled yet. */
	public ChainTimeout() {
	}

	/**
	 * The attempt's, from the context of the stream the chain subscribed to.
	 * @param context the stream's Reactor context
	 * @return the attempt's, or one that always says "not a timeout" when the chain put none
	 */
	public static ChainTimeout from(ContextView context) {
		Object found = context.getOrDefault(KEY, NONE);
		return (found instanceof ChainTimeout timeout) ? timeout : NONE;
	}

	/**
	 * Settle a cancelled stream once the chain knows whether its timeout cancelled it: at
	 * once when it knows already, else when the attempt ends.
	 * @param settle told {@code true} when the cancel was a timeout of the chain's; must not
	 * throw
	 */
	public void onCancelled(Consumer<Boolean> settle) {
		boolean now;
		synchronized (this) {
			now = this.settled;
			if (!now) {
				this.pending.add(settle);
			}
		}
		if (now) {
			settle.accept(this.timedOut);
		}
	}

	/** The attempt ended, by the chain's timeout or not; the first word is the one kept. */
	/**
	 * Settles whether the chain's timer ended the attempt.
	 * @param timedOut whether it did
	 */
	public void settle(boolean timedOut) {
		List<Consumer<Boolean>> waiting;
		synchronized (this) {
			if (this.settled) {
				return;
			}
			this.settled = true;
			this.timedOut = timedOut;
			waiting = new ArrayList<>(this.pending);
			this.pending.clear();
		}
		for (Consumer<Boolean> settle : waiting) {
			settle.accept(timedOut);
		}
	}

}

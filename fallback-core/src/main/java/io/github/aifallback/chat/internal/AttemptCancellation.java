package io.github.aifallback.chat.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * How the engine cancels a blocking attempt that lost a hedged race, beyond interrupting
 * its thread: an adapter whose blocking I/O ignores interrupts (OkHttp's) registers, on the
 * attempt's thread, how to cancel its request, and the engine runs that when the attempt
 * has lost. Only the threads of a hedged race have a cancellation: elsewhere
 * {@link #onCancel} returns at once, so the adapters' hot path pays one thread-local read.
 * Internal to the adapters.
 *
 * @since 0.1.0
 */
public final class AttemptCancellation {

	private static final ThreadLocal<AttemptCancellation> CURRENT = new ThreadLocal<>();

	/** What cancels the requests made so far; guarded by {@code this}. */
	private final List<Runnable> cancels = new ArrayList<>(2);

	/** Cancelled, or the attempt is over: nothing more to register or to cancel. */
	private boolean cancelled;

	/** A cancellation not yet entered. */
	public AttemptCancellation() {
	}

	/**
	 * Whether the current thread runs an attempt that can be cancelled: an adapter checks
	 * this before it makes what {@link #onCancel} needs.
	 * @return {@code true} on the thread of a hedged race's attempt
	 */
	public static boolean isCancellable() {
		return CURRENT.get() != null;
	}

	/**
	 * Whether the attempt the current thread runs was cancelled (it lost a hedged race): what
	 * it fails with now is the cancel, not the model's failure, and is not recorded as one.
	 * @return {@code true} on the thread of a cancelled attempt
	 * @since 0.1.0
	 */
	public static boolean isCancelled() {
		AttemptCancellation current = CURRENT.get();
		if (current == null) {
			return false;
		}
		synchronized (current) {
			return current.cancelled;
		}
	}

	/**
	 * Register how to cancel the request the current thread makes. The registration lasts
	 * until the attempt ends, so a response body still being read is covered too; cancelling
	 * a request that has completed must be harmless. When the attempt has been cancelled
	 * already, {@code cancel} runs at once.
	 * @param cancel cancels the request, from another thread
	 */
	public static void onCancel(Runnable cancel) {
		AttemptCancellation current = CURRENT.get();
		if (current == null) {
			return;
		}
		boolean now;
		synchronized (current) {
			now = current.cancelled;
			if (!now) {
				current.cancels.add(cancel);
			}
		}
		if (now) {
			cancel.run();
		}
	}

	/**
	 * The attempt starts on the current thread: what it registers from now on is this
	 * cancellation's, until {@link #close()}, in a {@code finally} on the same thread.
	 */
	/** Makes this the current thread's cancellation. */
	public void enter() {
		CURRENT.set(this);
	}

	/** The attempt is over: what it registered is forgotten. On the attempt's thread. */
	/** Leaves this cancellation: the thread has none again. */
	public void close() {
		CURRENT.remove();
		synchronized (this) {
			this.cancelled = true;
			this.cancels.clear();
		}
	}

	/**
	 * Cancel the attempt's requests, from any thread; those it registers later are cancelled
	 * as they register. What a cancel throws is ignored: the attempt is abandoned anyway.
	 */
	/** Runs every action registered on this cancellation, once. */
	public void cancel() {
		List<Runnable> registered;
		synchronized (this) {
			if (this.cancelled) {
				return;
			}
			this.cancelled = true;
			registered = List.copyOf(this.cancels);
			this.cancels.clear();
		}
		for (Runnable cancel : registered) {
			try {
				cancel.run();
			}
			catch (RuntimeException ex) {
				// The loser's request is abandoned either way; its thread still gets the interrupt.
			}
		}
	}

}

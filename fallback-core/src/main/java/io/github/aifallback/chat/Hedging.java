package io.github.aifallback.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.github.aifallback.chat.internal.CallerContext;


/**
 * What a client's hedged entries share: the hedge budget, and the threads that race a
 * hedged entry's attempt against its hedge. A capped pool of daemon threads, none kept when
 * idle for a minute; when every thread is busy a call runs unhedged on its own thread rather
 * than queue. Exists only when some entry is hedged; closed with the client.
 */
final class Hedging implements AutoCloseable {

	/** Threads at most: two per call in a race, so this many calls hedge at once. */
	static final int MAX_THREADS = 64;

	private static final AtomicInteger POOLS = new AtomicInteger();

	final HedgeBudget budget;

	private final ThreadPoolExecutor executor;

	Hedging(double budget, int minPerSecond, Clock clock) {
		this.budget = new HedgeBudget(budget, minPerSecond, clock);
		String prefix = "ai-fallback-hedge-" + POOLS.incrementAndGet() + "-";
		AtomicInteger count = new AtomicInteger();
		this.executor = new ThreadPoolExecutor(0, MAX_THREADS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
				(task) -> {
					Thread thread = new Thread(task, prefix + count.incrementAndGet());
					// A cancelled loser may run on until its HTTP read ends: never keep the JVM alive for it.
					thread.setDaemon(true);
					return thread;
				}, new ThreadPoolExecutor.AbortPolicy());
	}

	/**
	 * Run the task on a hedging thread with the caller's context (see {@link CallerContext}).
	 * @return its future, or {@code null} when every thread is busy
	 */
	<T> Future<T> submit(Callable<T> task) {
		try {
			return this.executor.submit(CallerContext.wrap(task));
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
	}

	/** Threads now running an attempt (in a race, or cancelled and not yet ended): for tests. */
	int activeThreads() {
		return this.executor.getActiveCount();
	}

	/** After {@link #close()}: whether every thread ended within {@code wait}; for tests. */
	boolean awaitClosed(Duration wait) throws InterruptedException {
		return this.executor.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS);
	}

	/** Stop the threads: the attempts still running are interrupted. */
	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}

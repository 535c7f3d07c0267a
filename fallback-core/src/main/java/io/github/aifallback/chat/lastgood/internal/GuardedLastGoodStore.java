package io.github.aifallback.chat.lastgood.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.aifallback.chat.lastgood.CacheLastGoodStore;
import io.github.aifallback.chat.lastgood.LastGoodAnswer;
import io.github.aifallback.chat.lastgood.LastGoodStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps every {@link LastGoodStore} the client is given, the user's own included, so that
 * the cache never holds a call past its deadline and never blocks a Reactor or SDK thread:
 * <ul>
 * <li>writes run on a small pool of daemon threads with a bounded queue; when it is full the
 * write is dropped and counted ({@link #droppedWrites()});</li>
 * <li>reads run on another such pool, and the caller waits at most the time its call has
 * left (at least {@link #MIN_READ_WAIT}, so that a call whose deadline just passed can still
 * be served, and at most {@link #MAX_READ_WAIT}); a read that times out is a miss;</li>
 * <li>a slow or failing store is skipped for a while by a {@link StoreBreaker} of its own;</li>
 * <li>an answer whose write is still queued is served from memory, so a call always finds
 * what an earlier call of the same client stored.</li>
 * </ul>
 * The starter's in-memory caches (Caffeine, a plain map) never block, so they are read on the
 * calling thread, without a thread hop. While other calls run, their writes are batched: the
 * caller leaves the answer in the queue (one map put) and the first answer of a batch hands
 * one task to the write pool, which writes the batch {@link #IN_MEMORY_BATCH} later. A
 * Caffeine write with its upkeep (the new entry, the eviction of the oldest, the frequency
 * sketch) cost 18 to 23 µs of CPU per call at c=32, spent while the other calls of a burst
 * waited for a core (docs/benchmarks.md); one wake-up per batch, not per answer, keeps the
 * hand-off cheaper than the write. A quick call running alone writes its answer itself
 * (about 6 µs; see {@link #put(String, LastGoodAnswer, boolean)}): there, the pool's
 * wake-ups landed on the calls that followed and lengthened their tail. More than
 * {@link #WRITE_QUEUE} answers queued are written by the caller that finds them.
 */
public final class GuardedLastGoodStore implements LastGoodStore, AutoCloseable {

	static final Duration MIN_READ_WAIT = Duration.ofMillis(50);

	static final Duration MAX_READ_WAIT = Duration.ofSeconds(1);

	/** A write slower than this counts as a failure of the store. */
	static final Duration SLOW_WRITE = Duration.ofSeconds(1);

	static final int WRITE_QUEUE = 1_000;

	/** How long an in-memory store's batch gathers answers before the pool writes it. */
	public static final Duration IN_MEMORY_BATCH = Duration.ofMillis(10);

	static final int READ_QUEUE = 256;

	private static final Logger logger = LoggerFactory.getLogger(LogLimiter.CLIENT_LOGGER);

	private final LastGoodStore delegate;

	private final boolean inMemory;

	private final Executor readers;

	private final Executor writers;

	private final Map<String, LastGoodAnswer> pending = new ConcurrentHashMap<>();

	private final long batchNanos;

	private final AtomicBoolean drainQueued = new AtomicBoolean();

	private final Runnable drainLater = this::drainLater;

	private final AtomicLong droppedWrites = new AtomicLong();

	private final StoreBreaker breaker;

	private final LogLimiter warnings;

	private final LogLimiter keyWarnings;

	/**
	 * Guard a store with the given pools: tests pass direct or rejecting executors.
	 * @param delegate the store guarded
	 * @param clock the time source of the store's breaker and log limits
	 * @param readers runs reads
	 * @param writers runs writes
	 */
	public GuardedLastGoodStore(LastGoodStore delegate, Clock clock, Executor readers, Executor writers) {
		this(delegate, clock, readers, writers, Duration.ZERO);
	}

	/**
	 * As {@link #GuardedLastGoodStore(LastGoodStore, Clock, Executor, Executor)}, with the
	 * time an in-memory store's batch gathers answers before {@code writers} writes it.
	 */
	GuardedLastGoodStore(LastGoodStore delegate, Clock clock, Executor readers, Executor writers, Duration batch) {
		this.delegate = delegate;
		this.batchNanos = batch.toNanos();
		this.inMemory = (delegate instanceof CacheLastGoodStore cacheStore) && cacheStore.isInMemory();
		this.readers = readers;
		this.writers = writers;
		this.warnings = new LogLimiter(clock, Duration.ofMinutes(1));
		this.keyWarnings = new LogLimiter(clock, Duration.ofMinutes(1));
		this.breaker = new StoreBreaker(delegate.toString(), clock, this.warnings);
	}

	/**
	 * The store guarded with the default pools, or {@code null}; a guarded store is kept.
	 * @param store the store, or {@code null}
	 * @return the guarded store, or {@code null}
	 */
	public static GuardedLastGoodStore guard(LastGoodStore store) {
		if (store == null || store instanceof GuardedLastGoodStore) {
			return (GuardedLastGoodStore) store;
		}
		return new GuardedLastGoodStore(store, Clock.systemUTC(), pool("read", 8, READ_QUEUE),
				pool("write", 2, WRITE_QUEUE), IN_MEMORY_BATCH);
	}

	/** Daemon threads, created on demand and gone when idle, so an unclosed store leaks none. */
	private static ThreadPoolExecutor pool(String kind, int threads, int queue) {
		AtomicInteger count = new AtomicInteger();
		ThreadFactory factory = (runnable) -> {
			Thread thread = new Thread(runnable, "ai-fallback-last-good-" + kind + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(queue), factory, new ThreadPoolExecutor.AbortPolicy());
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	/** A blocking read with the default wait; prefer {@link #get(String, Duration)}. */
	@Override
	public LastGoodAnswer get(String key) {
		return get(key, MAX_READ_WAIT);
	}

	/**
	 * The answer for the key, waiting at most about the time left.
	 * @param key the key
	 * @param timeLeft the time the call has left
	 * @return the answer, or {@code null} on a miss, a failure or a time-out
	 */
	public LastGoodAnswer get(String key, Duration timeLeft) {
		return getAsync(key, timeLeft).join();
	}

	/**
	 * The answer for the key, without blocking the caller: the future completes with
	 * {@code null} on a miss, a failure or once about the time left has passed.
	 * @param key the key
	 * @param timeLeft the time the call has left
	 * @return the future answer
	 */
	public CompletableFuture<LastGoodAnswer> getAsync(String key, Duration timeLeft) {
		LastGoodAnswer queued = this.pending.get(key);
		if (queued != null) {
			return CompletableFuture.completedFuture(queued);
		}
		if (!this.breaker.allows()) {
			return CompletableFuture.completedFuture(null);
		}
		if (this.inMemory) {
			return CompletableFuture.completedFuture(readNow(key));
		}
		CompletableFuture<ReadOutcome> outcome = new CompletableFuture<>();
		try {
			this.readers.execute(() -> {
				if (!outcome.isDone()) {
					outcome.complete(read(key));
				}
			});
		}
		catch (RejectedExecutionException ex) {
			logger.debug("AI fallback: every last-good reader is busy; a miss");
			return CompletableFuture.completedFuture(null);
		}
		if (!outcome.isDone()) {
			long wait = readWait(timeLeft).toMillis();
			CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS)
				.execute(() -> outcome.complete(new ReadOutcome(null, null, wait)));
		}
		// Whichever completes first, the read or the time-out, is recorded once, before the
		// caller sees the result.
		return outcome.thenApply(this::settle);
	}

	private static Duration readWait(Duration timeLeft) {
		if (timeLeft.compareTo(MIN_READ_WAIT) < 0) {
			return MIN_READ_WAIT;
		}
		return (timeLeft.compareTo(MAX_READ_WAIT) > 0) ? MAX_READ_WAIT : timeLeft;
	}

	private ReadOutcome read(String key) {
		try {
			return new ReadOutcome(this.delegate.get(key), null, -1);
		}
		catch (RuntimeException ex) {
			return new ReadOutcome(null, ex, -1);
		}
	}

	private LastGoodAnswer settle(ReadOutcome outcome) {
		if (outcome.timedOutAfterMillis() >= 0) {
			this.breaker.failure("did not answer a read within " + outcome.timedOutAfterMillis() + " ms", null);
		}
		else if (outcome.failure() != null) {
			this.breaker.failure("could not be read", outcome.failure());
		}
		else {
			this.breaker.success();
		}
		return outcome.answer();
	}

	private record ReadOutcome(LastGoodAnswer answer, RuntimeException failure, long timedOutAfterMillis) {
	}

	private LastGoodAnswer readNow(String key) {
		try {
			LastGoodAnswer answer = this.delegate.get(key);
			this.breaker.success();
			return answer;
		}
		catch (RuntimeException ex) {
			this.breaker.failure("could not be read", ex);
			return null;
		}
	}

	/** Queues the write and returns at once; never blocks, never throws. */
	@Override
	public void put(String key, LastGoodAnswer answer) {
		put(key, answer, true);
	}

	/**
	 * As {@link #put(String, LastGoodAnswer)}, from a caller that says whether an in-memory
	 * store's write may go to the batch: if not, the caller writes it itself, unless answers
	 * are still queued (they are written first, in order). The client batches while other
	 * calls run or after a call slower than a batch; a quick call running alone writes
	 * itself, as a hand-off would cost it a wake-up of the pool. Never blocks, never throws.
	 * @param key the key
	 * @param answer the answer
	 * @param batch whether an in-memory store's write may go to the batch
	 */
	public void put(String key, LastGoodAnswer answer, boolean batch) {
		if (!this.breaker.allows()) {
			this.droppedWrites.incrementAndGet();
			return;
		}
		if (this.inMemory) {
			if (!batch && this.pending.isEmpty()) {
				write(key, answer);
			}
			else {
				batch(key, answer);
			}
			return;
		}
		this.pending.put(key, answer);
		try {
			this.writers.execute(() -> {
				try {
					write(key, answer);
				}
				finally {
					this.pending.remove(key, answer);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.pending.remove(key, answer);
			this.droppedWrites.incrementAndGet();
			if (this.warnings.tryAcquire()) {
				logger.warn("AI fallback: last-good store {} is behind, its write queue is full; dropping writes "
						+ "({} so far)", this.delegate, this.droppedWrites.get());
			}
		}
	}

	/**
	 * Queues an in-memory store's write: the first answer of a batch hands the pool one task,
	 * which gathers the batch for a while and writes it; a pool that refuses (closed), and a
	 * queue over {@link #WRITE_QUEUE}, are written by the caller.
	 */
	private void batch(String key, LastGoodAnswer answer) {
		this.pending.put(key, answer);
		if (this.pending.size() > WRITE_QUEUE) {
			flush();
		}
		else if (this.drainQueued.compareAndSet(false, true)) {
			try {
				this.writers.execute(this.drainLater);
			}
			catch (RejectedExecutionException ex) {
				this.drainQueued.set(false);
				flush();
			}
		}
	}

	private void drainLater() {
		if (this.batchNanos > 0) {
			LockSupport.parkNanos(this.batchNanos);
		}
		// Cleared before the batch is read: an answer queued from here on queues a batch of its
		// own, and one queued before is in this one (the queue's iterator sees every entry
		// present when it starts, with its latest answer).
		this.drainQueued.set(false);
		flush();
	}

	/**
	 * Writes the answers an in-memory store's batch still holds, on the calling thread:
	 * for {@link #close()}, and for tests that look into the cache itself. A store written
	 * through its pool has nothing to flush here.
	 */
	public void flush() {
		if (!this.inMemory) {
			return;
		}
		for (Map.Entry<String, LastGoodAnswer> entry : this.pending.entrySet()) {
			write(entry.getKey(), entry.getValue());
			this.pending.remove(entry.getKey(), entry.getValue());
		}
	}

	private void write(String key, LastGoodAnswer answer) {
		long started = System.nanoTime();
		try {
			this.delegate.put(key, answer);
			long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
			if (tookMillis > SLOW_WRITE.toMillis()) {
				this.breaker.failure("took " + tookMillis + " ms to write", null);
			}
			else {
				this.breaker.success();
			}
		}
		catch (RuntimeException ex) {
			this.breaker.failure("could not be written", ex);
		}
	}

	/**
	 * Writes not made: dropped because the write queue was full, or skipped while the
	 * store's breaker was open.
	 * @return the count since this store was created
	 */
	long droppedWrites() {
		return this.droppedWrites.get();
	}

	/** Whether the store is being skipped after repeated failures. */
	boolean isSkipped() {
		return this.breaker.isOpen();
	}

	/**
	 * Key resolution failures are logged at most once a minute too.
	 * @return the limiter of those warnings
	 */
	public LogLimiter keyWarnings() {
		return this.keyWarnings;
	}

	LastGoodStore delegate() {
		return this.delegate;
	}

	/**
	 * Stops the pools, letting queued writes finish for up to a second, and writes what an
	 * in-memory store's batch still holds: for an application that shuts down and wants its
	 * last answers kept. Idle pools hold no thread, so a store never closed leaks none either.
	 */
	@Override
	public void close() {
		for (Executor executor : new Executor[] { this.writers, this.readers }) {
			if (executor instanceof ExecutorService service) {
				service.shutdown();
			}
		}
		if (this.writers instanceof ExecutorService service) {
			try {
				service.awaitTermination(1, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		flush();
	}

	@Override
	public String toString() {
		return "GuardedLastGoodStore[" + this.delegate + "]";
	}

}

package io.github.aifallback.chat.model;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.aifallback.chat.failure.AttemptTimeoutException;
import io.github.aifallback.chat.internal.CallerContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import reactor.core.publisher.Mono;

/**
 * Runs one entry's blocking calls on threads of its own, so that the chain can abandon a
 * call at its timeout: a {@code ChatModel} bean takes no timeout per call. A cached pool of
 * daemon threads, capped: idle threads end after a minute, and when every thread is busy
 * (that many calls abandoned, still running, or in flight) a new call is refused at once
 * rather than queued behind them.
 * <p>
 * At the timeout the thread is interrupted. What it runs stops only if it heeds interrupts:
 * the JDK's {@code HttpClient} (what {@code RestClient} uses by default), Reactor's
 * {@code block()} and Spring's {@code RetryTemplate} waits do; {@code HttpURLConnection}
 * ({@code SimpleClientHttpRequestFactory}) and some SDKs' clients do not, and then the
 * request goes on in the background until its own read timeout, holding one thread.
 */
final class BlockingCalls {

	private static final AtomicInteger POOLS = new AtomicInteger();

	/**
	 * Reads the thread's current observation, whichever registry made it current: every
	 * {@code SimpleObservationRegistry} shares one thread-local (as Micrometer's own
	 * {@code ObservationThreadLocalAccessor} relies on).
	 */
	private static final ObservationRegistry CURRENT = ObservationRegistry.create();

	private final ThreadPoolExecutor executor;

	private final int maxThreads;

	BlockingCalls(String name, int maxThreads) {
		this.maxThreads = maxThreads;
		this.executor = new ThreadPoolExecutor(0, maxThreads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
				threads(name), new ThreadPoolExecutor.AbortPolicy());
	}

	private static ThreadFactory threads(String name) {
		String prefix = "ai-fallback-" + name + "-" + POOLS.incrementAndGet() + "-";
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + count.incrementAndGet());
			// Never keeps the JVM alive: an abandoned call must not delay shutdown.
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Run the call and wait for it at most {@code timeout}.
	 * @throws AttemptTimeoutException at the timeout (the call is interrupted)
	 * @throws EntryBusyException when every thread is busy
	 */
	<T> T call(Callable<T> call, Duration timeout) {
		Future<T> future = submit(CallerContext.wrap(call), CURRENT.getCurrentObservation());
		try {
			return future.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw new AttemptTimeoutException("The model did not answer within " + timeout.toMillis() + " ms");
		}
		catch (InterruptedException ex) {
			// The caller wants out: stop the call, keep the caller's interrupt for the chain.
			future.cancel(true);
			Thread.currentThread().interrupt();
			throw new UncheckedIOException(new InterruptedIOException("Interrupted while waiting for the model"));
		}
		catch (ExecutionException ex) {
			throw rethrown(ex.getCause());
		}
		catch (CancellationException ex) {
			throw new AttemptTimeoutException("The call was cancelled");
		}
	}

	/** The same, without blocking the subscriber's thread; cancelling interrupts the call. */
	<T> Mono<T> mono(Callable<T> call) {
		return Mono.create((sink) -> {
			Observation parent = sink.contextView().getOrDefault(ObservationThreadLocalAccessor.KEY, null);
			Future<?> future = submit(CallerContext.wrapFrom(() -> {
				try {
					sink.success(call.call());
				}
				catch (Throwable ex) {
					sink.error(ex);
				}
				return null;
			}, sink.contextView()), parent);
			sink.onCancel(() -> future.cancel(true));
		});
	}

	/**
	 * @param task the call, already wrapped with the caller's context (see
	 * {@link CallerContext})
	 * @param observation the caller's current observation, made current on the call's
	 * thread so that the model's own observations nest under the chain's attempt; or
	 * {@code null}
	 */
	private <T> Future<T> submit(Callable<T> task, Observation observation) {
		try {
			return this.executor.submit(() -> {
				try (Observation.Scope scope = (observation != null) ? observation.openScope() : null) {
					return task.call();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			throw new EntryBusyException(this.maxThreads);
		}
	}

	private static RuntimeException rethrown(Throwable cause) {
		if (cause instanceof RuntimeException runtime) {
			return runtime;
		}
		if (cause instanceof Error error) {
			throw error;
		}
		return new CompletionException(cause);
	}

	/** Threads now running a call (in flight or abandoned): for tests. */
	int activeThreads() {
		return this.executor.getActiveCount();
	}

}

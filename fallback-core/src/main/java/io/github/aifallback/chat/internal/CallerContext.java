package io.github.aifallback.chat.internal;

import java.util.Map;
import java.util.concurrent.Callable;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.slf4j.MDC;

/**
 * What follows an attempt that the engine runs on a thread of its own (a hedged race, a
 * {@code ChatModel} bean's call): the caller's log context (MDC) and every thread-local
 * registered with Micrometer's {@code ContextRegistry} (the current observation; Spring
 * Security's context when the application registers its accessor; any accessor of the
 * application's). An HTTP interceptor that reads the caller's thread-locals then sees them
 * on the attempt's thread too. Captured on the caller's thread, restored after the task.
 * Internal to the engine and its adapters.
 *
 * @since 0.1.0
 */
public final class CallerContext {

	private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

	private CallerContext() {
	}

	/**
	 * Capture the calling thread's context now, for the task to run with elsewhere.
	 * @param task the task
	 * @return the task, run with the captured context and leaving its thread as it found it
	 */
	public static <T> Callable<T> wrap(Callable<T> task) {
		return wrap(task, SNAPSHOTS.captureAll());
	}

	/**
	 * As {@link #wrap(Callable)}, with the thread-locals captured from a Reactor context
	 * (a subscriber's) instead of the calling thread's.
	 * @param task the task
	 * @param reactorContext the subscriber's context view
	 * @return the task, run with that context
	 */
	public static <T> Callable<T> wrapFrom(Callable<T> task, Object reactorContext) {
		return wrap(task, SNAPSHOTS.captureFrom(reactorContext));
	}

	private static <T> Callable<T> wrap(Callable<T> task, ContextSnapshot snapshot) {
		Map<String, String> mdc = MDC.getCopyOfContextMap();
		return () -> {
			if (mdc != null) {
				MDC.setContextMap(mdc);
			}
			try (ContextSnapshot.Scope scope = snapshot.setThreadLocals()) {
				return task.call();
			}
			finally {
				MDC.clear();
			}
		};
	}

}

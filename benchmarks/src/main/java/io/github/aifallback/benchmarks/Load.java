package io.github.aifallback.benchmarks;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a bounded number of calls (and never longer than a time limit) from a fixed number
 * of workers, on virtual threads when the JDK has them, and records every call's latency,
 * outcome and tag.
 */
final class Load {

	/** One call of the load: returns a tag (e.g. which entry served), or throws on failure. */
	@FunctionalInterface
	interface Call {

		int call(int index) throws Exception;

	}

	/** What a run measured. Arrays are in completion order. */
	record Result(long[] latencies, boolean[] ok, int[] tags, int count, long elapsedNanos) {

		int successes() {
			int n = 0;
			for (int i = 0; i < this.count; i++) {
				n += this.ok[i] ? 1 : 0;
			}
			return n;
		}

		double throughput() {
			return this.count / (this.elapsedNanos / 1e9);
		}

		/** Latencies (ns) of the calls whose tag is {@code tag}, or all when {@code tag} is -1. */
		long[] latencies(int tag) {
			long[] out = new long[this.count];
			int n = 0;
			for (int i = 0; i < this.count; i++) {
				if (tag == -1 || this.tags[i] == tag) {
					out[n++] = this.latencies[i];
				}
			}
			return Arrays.copyOf(out, n);
		}

	}

	static final boolean VIRTUAL = virtualThreadsAvailable();

	private Load() {
	}

	static Result run(int concurrency, int calls, long timeLimitMillis, Call call) throws Exception {
		long[] latencies = new long[calls];
		boolean[] ok = new boolean[calls];
		int[] tags = new int[calls];
		AtomicInteger next = new AtomicInteger();
		AtomicInteger done = new AtomicInteger();
		long limit = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeLimitMillis);
		ExecutorService executor = newExecutor(concurrency);
		long start = System.nanoTime();
		try {
			List<Future<?>> workers = new ArrayList<>();
			for (int w = 0; w < concurrency; w++) {
				workers.add(executor.submit(() -> {
					int index;
					while ((index = next.getAndIncrement()) < calls && System.nanoTime() < limit) {
						long t0 = System.nanoTime();
						int tag;
						boolean success;
						try {
							tag = call.call(index);
							success = true;
						}
						catch (Exception ex) {
							tag = -2;
							success = false;
						}
						long took = System.nanoTime() - t0;
						int slot = done.getAndIncrement();
						latencies[slot] = took;
						ok[slot] = success;
						tags[slot] = tag;
					}
					return null;
				}));
			}
			for (Future<?> worker : workers) {
				worker.get();
			}
		}
		finally {
			executor.shutdown();
		}
		long elapsed = System.nanoTime() - start;
		return new Result(latencies, ok, tags, Math.min(done.get(), calls), elapsed);
	}

	/** The p-th percentile (0 to 100) by nearest rank: the smallest value with p% at or below it. */
	static long percentile(long[] values, double p) {
		if (values.length == 0) {
			return -1;
		}
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		int rank = (int) Math.ceil(p / 100.0 * sorted.length);
		return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
	}

	static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int n = sorted.length;
		return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	private static ExecutorService newExecutor(int concurrency) {
		if (VIRTUAL) {
			try {
				Method method = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
				return (ExecutorService) method.invoke(null);
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return Executors.newFixedThreadPool(concurrency);
	}

	private static boolean virtualThreadsAvailable() {
		try {
			Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
			return true;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

}

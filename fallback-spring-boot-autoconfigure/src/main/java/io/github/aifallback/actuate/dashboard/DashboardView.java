package io.github.aifallback.actuate.dashboard;

import java.util.List;
import java.util.Map;

/**
 * What the dashboard's JSON carries: names, model ids, states, counts and durations only;
 * never a key, a URL, a prompt or what a provider said.
 */
final class DashboardView {

	private DashboardView() {
	}

	/**
	 * The whole page's figures.
	 */
	record State(String generatedAt, int windowMinutes, boolean writable, Calls calls, List<Entry> entries,
			Map<String, Long> failuresByKind, List<RecentFailure> recentFailures, List<CircuitChange> circuitChanges) {

	}

	/**
	 * Calls through the chain over the window, and the degraded answers served.
	 */
	record Calls(long served, long degraded, long failed, long degradedLastGood, long degradedFixedMessage) {

	}

	/**
	 * One chain entry: its circuit as recorded now, its attempts over the window.
	 */
	record Entry(int position, String name, String model, String circuitState, String openUntil, long successes,
			long failures, Double successRate, Long p50Millis, Long p95Millis, List<Minute> perMinute,
			Map<String, Long> failuresByKind) {

	}

	/**
	 * Attempts on one entry in one minute.
	 */
	record Minute(long successes, long failures) {

	}

	/**
	 * One failed attempt: what, where, when; not the provider's message.
	 */
	record RecentFailure(String time, String entry, String kind, int status, int attempt, int maxAttempts,
			String action, long durationMillis) {

	}

	/**
	 * One change of an entry's circuit.
	 */
	record CircuitChange(String time, String entry, String from, String to) {

	}

}

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
	 * The whole page's figures; {@code fleet} is the link to the fleet's Redis ({@code up} or
	 * {@code down}), or {@code null} without a fleet.
	 */
	record State(String generatedAt, int windowMinutes, boolean writable, Status status, Calls calls,
			List<Entry> entries, Map<String, Long> failuresByKind, List<RecentCall> recentCalls,
			List<RecentFailure> recentFailures, List<CircuitChange> circuitChanges, String fleet) {

	}

	/**
	 * The chain as a whole, the operator's first question: {@code ok}, {@code warning} (some
	 * circuits open, or calls degraded or failed over the window), {@code panic} (calls go to
	 * entries whose circuits refused them) or {@code down} (every circuit open).
	 */
	record Status(String level, String title, String detail) {

	}

	/**
	 * A call that was served degraded or failed, and why: the failed attempts and refused
	 * entries seen on its thread, {@code "entry: KIND (HTTP n)"} each.
	 */
	record RecentCall(String time, String outcome, int attempts, long durationMillis, List<String> why) {

	}

	/**
	 * Calls through the chain over the window, and the degraded answers served.
	 */
	record Calls(long served, long degraded, long failed, long degradedLastGood, long degradedFixedMessage) {

	}

	/**
	 * One chain entry: its circuit as recorded now (with the failure and slow-call rates of
	 * its breaker's window, {@code null} while that window holds fewer than its minimum
	 * number of calls), its attempts over the window.
	 */
	record Entry(int position, String name, String model, String circuitState, String openUntil, String evidence,
			String retryAfterUntil, long successes, long failures, Double successRate, Long p50Millis, Long p95Millis,
			List<Minute> perMinute, Map<String, Long> failuresByKind, Float circuitFailureRate,
			Float circuitSlowCallRate) {

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

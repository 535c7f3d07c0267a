package io.github.aifallback.actuate.dashboard;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.aifallback.actuate.dashboard.DashboardView.CircuitChange;
import io.github.aifallback.actuate.dashboard.DashboardView.RecentFailure;
import io.github.aifallback.chat.fleet.FleetLink;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitSnapshot;
import io.github.aifallback.chat.event.AttemptFailedEvent;
import io.github.aifallback.chat.event.AttemptSucceededEvent;
import io.github.aifallback.chat.event.CallCompletedEvent;
import io.github.aifallback.chat.event.CallNotPermittedEvent;
import io.github.aifallback.chat.event.CircuitStateChangedEvent;
import io.github.aifallback.chat.event.DegradedResponseEvent;
import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.event.FallbackEventListener;

/**
 * Keeps what the dashboard shows from the chain's events, in bounded memory: per entry,
 * one-minute buckets over the last {@value MinuteBuckets#MINUTES} minutes; for the chain,
 * calls by outcome and degraded answers; the last {@value #RECENT_FAILURES} failed attempts,
 * {@value #RECENT_CALLS} degraded or failed calls (with why) and {@value #RECENT_CHANGES}
 * circuit changes. Buckets follow its own clock, so that tests
 * can move time.
 */
final class DashboardStats implements FallbackEventListener {

	static final int RECENT_FAILURES = 50;

	static final int RECENT_CHANGES = 20;

	static final int RECENT_CALLS = 20;

	/** At most this many reasons are kept for one call (a hedge thread may see many). */
	private static final int REASONS = 8;

	private static final int SUCCESSES = 0;

	private static final int FAILURES = 1;

	private static final int FIRST_KIND = 2;

	private static final FailureKind[] KINDS = FailureKind.values();

	private static final int SERVED = 0;

	private static final int DEGRADED = 1;

	private static final int FAILED = 2;

	private static final int LAST_GOOD = 3;

	private static final int FIXED_MESSAGE = 4;

	private final Clock clock;

	// Keyed by the entries that made attempts: bounded by the chain's length.
	private final Map<String, MinuteBuckets> entries = new ConcurrentHashMap<>();

	private final MinuteBuckets calls = new MinuteBuckets(5);

	private final Deque<RecentFailure> failures = new ArrayDeque<>();

	private final Deque<CircuitChange> changes = new ArrayDeque<>();

	private final Deque<DashboardView.RecentCall> recentCalls = new ArrayDeque<>();

	/**
	 * Why the call on this thread went wrong so far: a blocking call's events arrive on its
	 * thread, in order, ending with its {@link CallCompletedEvent}. Cleared by that event;
	 * bounded, so a thread that never completes a call (a hedge's) keeps little.
	 */
	private final ThreadLocal<Deque<String>> reasons = ThreadLocal.withInitial(ArrayDeque::new);

	DashboardStats(Clock clock) {
		this.clock = clock;
	}

	@Override
	public void onEvent(FallbackEvent event) {
		long minute = minute();
		if (event instanceof AttemptSucceededEvent attempt) {
			MinuteBuckets buckets = entry(attempt.entry());
			buckets.add(minute, SUCCESSES);
			buckets.sample(minute, attempt.duration().toMillis());
		}
		else if (event instanceof AttemptFailedEvent attempt) {
			MinuteBuckets buckets = entry(attempt.entry());
			buckets.add(minute, FAILURES);
			buckets.add(minute, FIRST_KIND + attempt.failure().kind().ordinal());
			buckets.sample(minute, attempt.duration().toMillis());
			remember(this.failures, RECENT_FAILURES, new RecentFailure(text(attempt.time()), attempt.entry(),
					attempt.failure().kind().name(), attempt.failure().status(), attempt.attempt(),
					attempt.maxAttempts(), attempt.action().name(), attempt.duration().toMillis()));
			int status = attempt.failure().status();
			reason(attempt.entry() + ": " + attempt.failure().kind().name() + ((status > 0) ? " (HTTP " + status + ")" : ""));
		}
		else if (event instanceof CallNotPermittedEvent skipped) {
			reason(skipped.entry() + ": circuit " + skipped.state().name());
		}
		else if (event instanceof CallCompletedEvent call) {
			Deque<String> why = this.reasons.get();
			if (call.outcome() != CallCompletedEvent.Outcome.SERVED) {
				remember(this.recentCalls, RECENT_CALLS, new DashboardView.RecentCall(text(call.time()),
						call.outcome().name(), call.attempts(), call.duration().toMillis(), List.copyOf(why)));
			}
			why.clear();
			this.calls.add(minute, switch (call.outcome()) {
				case SERVED -> SERVED;
				case DEGRADED -> DEGRADED;
				case FAILED -> FAILED;
			});
		}
		else if (event instanceof DegradedResponseEvent degraded) {
			this.calls.add(minute, degraded.fixedMessage() ? FIXED_MESSAGE : LAST_GOOD);
		}
		else if (event instanceof CircuitStateChangedEvent change) {
			remember(this.changes, RECENT_CHANGES, new CircuitChange(text(change.time()), change.entry(),
					change.from().name(), change.to().name()));
		}
	}

	private void reason(String reason) {
		Deque<String> why = this.reasons.get();
		if (!why.contains(reason)) {
			why.addLast(reason);
			while (why.size() > REASONS) {
				why.removeFirst();
			}
		}
	}

	/**
	 * The figures of the given client's chain, its circuits read now.
	 */
	DashboardView.State state(ResilientChatClient client, boolean writable) {
		return state(client, writable, null);
	}

	/**
	 * The page's figures, with the link to the fleet ({@code null} without a fleet): a link
	 * that is down is said in the chain's status, since this instance then decides alone.
	 */
	DashboardView.State state(ResilientChatClient client, boolean writable, FleetLink fleet) {
		long now = minute();
		long[] chain = sum(this.calls.perMinute(now), 5);
		List<DashboardView.Entry> views = new ArrayList<>();
		long[] allKinds = new long[KINDS.length];
		List<CircuitSnapshot> circuits = new ArrayList<>();
		int position = 0;
		for (ChainEntry entry : client.getEntries()) {
			MinuteBuckets buckets = this.entries.get(entry.name());
			long[][] rows = (buckets != null) ? buckets.perMinute(now)
					: new long[MinuteBuckets.MINUTES][FIRST_KIND + KINDS.length];
			long[] total = sum(rows, FIRST_KIND + KINDS.length);
			long[] samples = (buckets != null) ? buckets.samples(now) : new long[0];
			long[] kinds = new long[KINDS.length];
			System.arraycopy(total, FIRST_KIND, kinds, 0, KINDS.length);
			for (int k = 0; k < KINDS.length; k++) {
				allKinds[k] += kinds[k];
			}
			List<DashboardView.Minute> minutes = new ArrayList<>();
			for (long[] row : rows) {
				minutes.add(new DashboardView.Minute(row[SUCCESSES], row[FAILURES]));
			}
			long attempts = total[SUCCESSES] + total[FAILURES];
			CircuitSnapshot circuit = client.circuitBreaker(entry.name()).snapshot();
			circuits.add(circuit);
			views.add(new DashboardView.Entry(++position, entry.name(), entry.model(), circuit.state().name(),
					text(circuit.openUntil()), (circuit.evidence() != null) ? circuit.evidence().name() : null,
					text(circuit.retryAfterUntil()), total[SUCCESSES], total[FAILURES],
					(attempts > 0) ? (double) total[SUCCESSES] / attempts : null,
					MinuteBuckets.percentile(samples, 0.50), MinuteBuckets.percentile(samples, 0.95), minutes,
					byKind(kinds), rate(circuit.failureRate()), rate(circuit.slowCallRate())));
		}
		DashboardView.Calls calls = new DashboardView.Calls(chain[SERVED], chain[DEGRADED], chain[FAILED],
				chain[LAST_GOOD], chain[FIXED_MESSAGE]);
		String link = (fleet != null) ? (fleet.isUp() ? "up" : "down") : null;
		return new DashboardView.State(this.clock.instant().toString(), MinuteBuckets.MINUTES, writable,
				ChainStatus.withFleet(ChainStatus.of(circuits, client.inPanic(), calls, MinuteBuckets.MINUTES), link),
				calls, views, byKind(allKinds), newestFirst(this.recentCalls), newestFirst(this.failures),
				newestFirst(this.changes), link);
	}

	/** A breaker's rate in percent, or {@code null} while its window is below its minimum. */
	private static Float rate(float rate) {
		return (rate >= 0) ? rate : null;
	}

	private MinuteBuckets entry(String name) {
		return this.entries.computeIfAbsent(name, (key) -> new MinuteBuckets(FIRST_KIND + KINDS.length));
	}

	private long minute() {
		return Math.floorDiv(this.clock.millis(), 60_000L);
	}

	private static long[] sum(long[][] rows, int width) {
		long[] total = new long[width];
		for (long[] row : rows) {
			for (int i = 0; i < width; i++) {
				total[i] += row[i];
			}
		}
		return total;
	}

	private static Map<String, Long> byKind(long[] kinds) {
		Map<String, Long> counts = new LinkedHashMap<>();
		for (int k = 0; k < KINDS.length; k++) {
			if (kinds[k] > 0) {
				counts.put(KINDS[k].name(), kinds[k]);
			}
		}
		return counts;
	}

	private static <T> void remember(Deque<T> ring, int capacity, T item) {
		synchronized (ring) {
			ring.addLast(item);
			while (ring.size() > capacity) {
				ring.removeFirst();
			}
		}
	}

	private static <T> List<T> newestFirst(Deque<T> ring) {
		synchronized (ring) {
			List<T> items = new ArrayList<>(ring);
			Collections.reverse(items);
			return items;
		}
	}

	private static String text(Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

}

package io.github.aifallback.chat.circuit;

/**
 * The outcomes of a circuit's recent calls, count- or time-based, as Resilience4j keeps them:
 * failures and slow calls out of all calls, so that rates can be read in constant time. Not
 * thread-safe: the breaker uses it under its lock.
 */
final class OutcomeWindow {

	private static final byte FAILED = 1;

	private static final byte SLOW = 2;

	private final boolean timeBased;

	/** Count-based: one outcome per slot. Time-based: one slot per second. */
	private final byte[] outcomes;

	private final long[] secondOfSlot;

	private final int[] callsOfSlot;

	private final int[] failuresOfSlot;

	private final int[] slowOfSlot;

	private int next;

	private int calls;

	private int failures;

	private int slow;

	OutcomeWindow(CircuitBreakerSettings.SlidingWindowType type, int size) {
		this.timeBased = type == CircuitBreakerSettings.SlidingWindowType.TIME_BASED;
		if (this.timeBased) {
			this.outcomes = null;
			this.secondOfSlot = new long[size];
			this.callsOfSlot = new int[size];
			this.failuresOfSlot = new int[size];
			this.slowOfSlot = new int[size];
			java.util.Arrays.fill(this.secondOfSlot, Long.MIN_VALUE);
		}
		else {
			this.outcomes = new byte[size];
			this.secondOfSlot = null;
			this.callsOfSlot = null;
			this.failuresOfSlot = null;
			this.slowOfSlot = null;
		}
	}

	void record(boolean failed, boolean slowCall, long nowMillis) {
		if (this.timeBased) {
			recordInSecond(failed, slowCall, Math.floorDiv(nowMillis, 1000));
			return;
		}
		byte outcome = (byte) ((failed ? FAILED : 0) | (slowCall ? SLOW : 0));
		if (this.calls == this.outcomes.length) {
			byte evicted = this.outcomes[this.next];
			this.failures -= evicted & FAILED;
			this.slow -= (evicted & SLOW) >> 1;
		}
		else {
			this.calls++;
		}
		this.outcomes[this.next] = outcome;
		this.failures += outcome & FAILED;
		this.slow += (outcome & SLOW) >> 1;
		this.next = (this.next + 1) % this.outcomes.length;
	}

	private void recordInSecond(boolean failed, boolean slowCall, long second) {
		expire(second);
		int slot = (int) Math.floorMod(second, (long) this.secondOfSlot.length);
		if (this.secondOfSlot[slot] != second) {
			this.secondOfSlot[slot] = second;
			this.callsOfSlot[slot] = 0;
			this.failuresOfSlot[slot] = 0;
			this.slowOfSlot[slot] = 0;
		}
		this.callsOfSlot[slot]++;
		this.calls++;
		if (failed) {
			this.failuresOfSlot[slot]++;
			this.failures++;
		}
		if (slowCall) {
			this.slowOfSlot[slot]++;
			this.slow++;
		}
	}

	/** Drop the seconds that left the window by {@code second}. */
	private void expire(long second) {
		long oldest = second - this.secondOfSlot.length;
		for (int slot = 0; slot < this.secondOfSlot.length; slot++) {
			long of = this.secondOfSlot[slot];
			if (of != Long.MIN_VALUE && of <= oldest) {
				this.calls -= this.callsOfSlot[slot];
				this.failures -= this.failuresOfSlot[slot];
				this.slow -= this.slowOfSlot[slot];
				this.secondOfSlot[slot] = Long.MIN_VALUE;
				this.callsOfSlot[slot] = 0;
				this.failuresOfSlot[slot] = 0;
				this.slowOfSlot[slot] = 0;
			}
		}
	}

	/** Calls in the window now. */
	int calls(long nowMillis) {
		if (this.timeBased) {
			expire(Math.floorDiv(nowMillis, 1000));
		}
		return this.calls;
	}

	/** The failure rate in percent, or -1 when the window holds fewer than {@code minimum} calls. */
	float failureRate(int minimum, long nowMillis) {
		int held = calls(nowMillis);
		return (held < minimum || held == 0) ? -1f : this.failures * 100f / held;
	}

	/** The slow-call rate in percent, or -1 when the window holds fewer than {@code minimum} calls. */
	float slowCallRate(int minimum, long nowMillis) {
		int held = calls(nowMillis);
		return (held < minimum || held == 0) ? -1f : this.slow * 100f / held;
	}

	void reset() {
		this.next = 0;
		this.calls = 0;
		this.failures = 0;
		this.slow = 0;
		if (this.timeBased) {
			java.util.Arrays.fill(this.secondOfSlot, Long.MIN_VALUE);
			java.util.Arrays.fill(this.callsOfSlot, 0);
			java.util.Arrays.fill(this.failuresOfSlot, 0);
			java.util.Arrays.fill(this.slowOfSlot, 0);
		}
	}

}

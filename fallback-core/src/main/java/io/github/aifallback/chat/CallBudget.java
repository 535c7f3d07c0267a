package io.github.aifallback.chat;

import java.time.Duration;

/**
 * One call's time and attempts: its deadline, the share of it an attempt may take, and
 * whether another attempt may start. One of the jobs of a call (see {@link CallContext}):
 * the others are its routing and recording, its marking ({@link CallMarks}) and its
 * observation ({@link CallObservation}).
 */
final class CallBudget {

	private final ChainRuntime runtime;

	private final long startMillis;

	CallBudget(ChainRuntime runtime) {
		this.runtime = runtime;
		this.startMillis = runtime.clock.millis();
	}

	long now() {
		return this.runtime.clock.millis();
	}

	Duration since(long startedMillis) {
		return Duration.ofMillis(now() - startedMillis);
	}

	/** Since the call started. */
	Duration elapsed() {
		return since(this.startMillis);
	}

	Duration timeLeft() {
		long left = this.runtime.deadline.toMillis() - (now() - this.startMillis);
		return Duration.ofMillis(Math.max(0, left));
	}

	/** Whether less than the floor of time is left: no attempt could finish. */
	boolean belowFloor(Duration time) {
		return time.compareTo(this.runtime.minAttemptTime) < 0;
	}

	/**
	 * Why no further attempt may start, or {@code null} when one may. No attempt starts with
	 * less than the floor of time left: it could not finish, and the SDK reads a zero
	 * timeout as none at all.
	 * @param made the attempts recorded so far
	 */
	String exhausted(int made) {
		if (made >= this.runtime.retry.maxTotalAttempts()) {
			return "max-total-attempts of " + this.runtime.retry.maxTotalAttempts() + " reached";
		}
		if (belowFloor(timeLeft())) {
			return "deadline of " + this.runtime.deadline.toMillis() + " ms reached";
		}
		return null;
	}

	/**
	 * Whether one more attempt fits, after the one about to be recorded: within
	 * max-total-attempts, and with time for it.
	 * @param made the attempts recorded so far
	 */
	boolean fitsOneMore(int made) {
		return made + 1 < this.runtime.retry.maxTotalAttempts() && !belowFloor(timeLeft());
	}

	/**
	 * The time kept for the entries after an entry: the floor, when one of them could serve.
	 * @param anotherCouldServe whether an entry after it could serve now
	 */
	Duration reserve(boolean anotherCouldServe) {
		Duration floor = this.runtime.fallbackFloor;
		return (floor.isZero() || !anotherCouldServe) ? Duration.ZERO : floor;
	}

	/**
	 * A wait of the entry's ({@code limit}: its attempt timeout, or a stream's first-token
	 * timeout) cut to the entry's share of the deadline: what is left, less the reserve kept
	 * for the entries after it (deadline budgeting: a hanging entry must not eat its
	 * fallback's time). When even the floor does not fit, the entry gets what is left.
	 */
	Duration within(Duration limit, Duration reserve) {
		Duration timeLeft = timeLeft();
		Duration share = timeLeft.minus(reserve);
		if (belowFloor(share)) {
			share = timeLeft;
		}
		return (limit.compareTo(share) <= 0) ? limit : share;
	}

}

package io.github.aifallback.test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The script of one chain entry in the {@link FallbackSimulator}: queued failures first, in
 * order, then answers. Changes apply to the next requests; {@link FallbackSimulator#reset()}
 * clears every script.
 *
 * @since 0.1.0
 */
public final class EntryScript {

	private final String entry;

	private final FallbackSimulator simulator;

	private final Deque<FailureScript> failures = new ArrayDeque<>();

	private String answer;

	private Duration delay = Duration.ZERO;

	EntryScript(String entry, FallbackSimulator simulator) {
		this.entry = entry;
		this.simulator = simulator;
	}

	/**
	 * Fail the next {@code calls} requests to this entry (after the failures queued before);
	 * with a 500 unless the returned script says otherwise.
	 * @param calls how many requests, 1 or more
	 * @return the failures' script
	 */
	public synchronized FailureScript failNext(int calls) {
		if (calls < 1) {
			throw new IllegalArgumentException("calls must be 1 or more, not " + calls);
		}
		FailureScript failure = new FailureScript(this, calls);
		this.failures.addLast(failure);
		return failure;
	}

	/**
	 * Fail every request to this entry (after the failures queued before), until
	 * {@link FallbackSimulator#reset()}.
	 * @return the failures' script
	 */
	public synchronized FailureScript failAlways() {
		FailureScript failure = new FailureScript(this, -1);
		this.failures.addLast(failure);
		return failure;
	}

	/**
	 * Answer with this text when no failure is queued (by default the simulator names the
	 * entry: {@code "Simulated answer from <entry>."}).
	 * @param text the answer
	 * @return this script
	 */
	public synchronized EntryScript answer(String text) {
		this.answer = Objects.requireNonNull(text, "text");
		return this;
	}

	/**
	 * Wait this long (real time) before each answer, e.g. to make an entry slow enough to be
	 * hedged.
	 * @param delay the delay
	 * @return this script
	 */
	public synchronized EntryScript answerSlowly(Duration delay) {
		if (delay.isNegative()) {
			throw new IllegalArgumentException("delay must not be negative");
		}
		this.delay = delay;
		return this;
	}

	/**
	 * The requests this entry received since the last reset.
	 * @return the count
	 */
	public int requests() {
		return this.simulator.requests(this.entry);
	}

	/**
	 * The entry's name.
	 * @return the name
	 */
	public String name() {
		return this.entry;
	}

	synchronized Reply next() {
		FailureScript failure = this.failures.peekFirst();
		if (failure == null) {
			String text = (this.answer != null) ? this.answer : "Simulated answer from " + this.entry + ".";
			return Reply.answer(text, this.delay);
		}
		Reply reply = failure.take();
		if (failure.exhausted()) {
			this.failures.removeFirst();
		}
		return reply;
	}

}

package io.github.aifallback.autoconfigure;

import java.time.Duration;

/**
 * A per-entry concurrency limit, after Resilience4j's bulkhead.
 *
 * @since 0.1.0
 */
public class BulkheadProperties {

	/**
	 * Attempts in flight at most on each entry; a call over it goes on to the next entry
	 * without counting against the entry's circuit. 0: no limit.
	 */
	private int maxConcurrentCalls = 0;

	/**
	 * How long a blocking call may wait for a place before it goes on (within its
	 * deadline); streams never wait.
	 */
	private Duration maxWaitDuration = Duration.ZERO;

	public int getMaxConcurrentCalls() {
		return this.maxConcurrentCalls;
	}

	public void setMaxConcurrentCalls(int maxConcurrentCalls) {
		this.maxConcurrentCalls = maxConcurrentCalls;
	}

	public Duration getMaxWaitDuration() {
		return this.maxWaitDuration;
	}

	public void setMaxWaitDuration(Duration maxWaitDuration) {
		this.maxWaitDuration = maxWaitDuration;
	}

}

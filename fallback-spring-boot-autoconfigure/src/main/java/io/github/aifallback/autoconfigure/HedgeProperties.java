package io.github.aifallback.autoconfigure;

/**
 * How many hedges the chain may start: a hedge is one extra request, so their share of
 * the requests is capped.
 *
 * @since 0.1.0
 */
public class HedgeProperties {

	/**
	 * Extra requests hedges may add, as a share of the requests to hedged entries over a
	 * sliding 10-second window (0 to 1). When spent, slow attempts are not hedged.
	 */
	private double budget = 0.1;

	/**
	 * Hedges allowed per second whatever the share, so that a quiet application can still
	 * hedge (0 for none beyond the share).
	 */
	private int minPerSecond = 1;

	public double getBudget() {
		return this.budget;
	}

	public void setBudget(double budget) {
		this.budget = budget;
	}

	public int getMinPerSecond() {
		return this.minPerSecond;
	}

	public void setMinPerSecond(int minPerSecond) {
		this.minPerSecond = minPerSecond;
	}

}

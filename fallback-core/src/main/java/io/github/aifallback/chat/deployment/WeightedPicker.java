package io.github.aifallback.chat.deployment;

/**
 * Smooth weighted round-robin (as nginx balances upstreams): deterministic, and spreads
 * each deployment's turns evenly instead of in bursts (weights 2 and 1 give A, B, A, ...).
 * Only the candidates of one pick take part in it, so a deployment left out (open, spent,
 * near its limit) neither builds up credit nor delays the others.
 */
final class WeightedPicker {

	private final int[] weights;

	private final long[] current;

	WeightedPicker(int[] weights) {
		this.weights = weights.clone();
		this.current = new long[weights.length];
	}

	/**
	 * Pick among the candidates.
	 * @param candidates a bit per deployment index
	 * @return the index, or {@code -1} when there is no candidate
	 */
	synchronized int pick(long candidates) {
		int best = -1;
		long total = 0;
		for (int i = 0; i < this.weights.length; i++) {
			if ((candidates & (1L << i)) == 0) {
				continue;
			}
			this.current[i] += this.weights[i];
			total += this.weights[i];
			if (best < 0 || this.current[i] > this.current[best]) {
				best = i;
			}
		}
		if (best >= 0) {
			this.current[best] -= total;
		}
		return best;
	}

}

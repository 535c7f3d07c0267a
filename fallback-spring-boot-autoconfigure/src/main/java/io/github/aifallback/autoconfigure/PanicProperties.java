package io.github.aifallback.autoconfigure;

/**
 * Panic mode, after Envoy's panic threshold.
 *
 * @since 0.1.0
 */
public class PanicProperties {

	/**
	 * Whether a call that every entry refused is still sent, once, to the entry most likely
	 * to answer, when the share of entries in rotation falls below the threshold because
	 * the others are out on inferred evidence (timeouts, connection and server errors)
	 * rather than the provider's explicit word.
	 */
	private boolean enabled = true;

	/**
	 * Share of the entries, in percent, still in rotation below which the chain panics
	 * (Envoy's panic threshold). Entries out on explicit evidence do not count.
	 */
	private float threshold = 50;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public float getThreshold() {
		return this.threshold;
	}

	public void setThreshold(float threshold) {
		this.threshold = threshold;
	}

}

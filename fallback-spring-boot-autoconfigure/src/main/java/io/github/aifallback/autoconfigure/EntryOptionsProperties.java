package io.github.aifallback.autoconfigure;

/**
 * Default options of one entry's requests: the caller's own options win.
 *
 * @since 0.1.0
 */
public class EntryOptionsProperties {

	/**
	 * Sampling temperature sent to the entry when the caller sets none.
	 */
	private Double temperature;

	/**
	 * Most tokens the entry may generate, sent when the caller sets none.
	 */
	private Integer maxTokens;

	/**
	 * Nucleus sampling (top-p) sent to the entry when the caller sets none.
	 */
	private Double topP;

	public Double getTemperature() {
		return this.temperature;
	}

	public void setTemperature(Double temperature) {
		this.temperature = temperature;
	}

	public Integer getMaxTokens() {
		return this.maxTokens;
	}

	public void setMaxTokens(Integer maxTokens) {
		this.maxTokens = maxTokens;
	}

	public Double getTopP() {
		return this.topP;
	}

	public void setTopP(Double topP) {
		this.topP = topP;
	}

	boolean isEmpty() {
		return this.temperature == null && this.maxTokens == null && this.topP == null;
	}

}

package io.github.aifallback.autoconfigure;

import java.time.Duration;

/**
 * Rate-limit awareness: what the providers' success headers (x-ratelimit-*,
 * anthropic-ratelimit-*) change.
 *
 * @since 0.1.0
 */
public class RateLimitProperties {

	/**
	 * Whether deployments read the rate-limit headers of their successful responses and
	 * are avoided, until the window resets, once they report too few requests or tokens
	 * left.
	 */
	private boolean enabled = true;

	/**
	 * A deployment reporting this many requests left, or fewer, is avoided until its
	 * requests' window resets. 0: only when nothing is left.
	 */
	private long minRemainingRequests = 0;

	/**
	 * A deployment reporting this many tokens left, or fewer, is avoided until its
	 * tokens' window resets. 0: only when nothing is left.
	 */
	private long minRemainingTokens = 0;

	/**
	 * The longest a reported reset is believed: a deployment is never avoided for longer
	 * on the strength of one header.
	 */
	private Duration maxWait = Duration.ofMinutes(5);

	/**
	 * Whether entries without deployments read the headers too, and are skipped, as an
	 * open circuit is (the call goes to the next entry), while their provider reports no
	 * requests or tokens left: no request is sent and no failure is recorded. Off by
	 * default: the entry is then only left on an actual 429.
	 */
	private boolean skipEntries = false;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public long getMinRemainingRequests() {
		return this.minRemainingRequests;
	}

	public void setMinRemainingRequests(long minRemainingRequests) {
		this.minRemainingRequests = minRemainingRequests;
	}

	public long getMinRemainingTokens() {
		return this.minRemainingTokens;
	}

	public void setMinRemainingTokens(long minRemainingTokens) {
		this.minRemainingTokens = minRemainingTokens;
	}

	public Duration getMaxWait() {
		return this.maxWait;
	}

	public void setMaxWait(Duration maxWait) {
		this.maxWait = maxWait;
	}

	public boolean isSkipEntries() {
		return this.skipEntries;
	}

	public void setSkipEntries(boolean skipEntries) {
		this.skipEntries = skipEntries;
	}

}

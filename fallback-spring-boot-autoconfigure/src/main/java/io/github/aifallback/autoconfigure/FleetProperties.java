package io.github.aifallback.autoconfigure;

import java.time.Duration;

/**
 * Circuit state shared by a fleet of instances over the application's Redis.
 *
 * @since 0.1.0
 */
public class FleetProperties {

	/**
	 * Whether circuit openings (Retry-After and quota windows included) are shared with
	 * the other instances over the application's Redis (a RedisConnectionFactory bean),
	 * with one probe per open period for the whole fleet.
	 */
	private boolean enabled = false;

	/**
	 * Prefix of the Redis keys of the shared circuit state; instances share state only
	 * with instances of the same prefix. Unset: "ai-fallback:{spring.application.name}:fleet:",
	 * so that two applications on one Redis never share circuits (with a warning at
	 * start-up, and "ai-fallback:fleet:", when spring.application.name is not set either).
	 */
	private String keyPrefix;

	/**
	 * Secret, at least 32 bytes and the same on every instance, with which the fleet's
	 * records in Redis are signed (HMAC-SHA256): a record that does not verify is
	 * dropped, so that a writer to Redis without the secret cannot open, close or hold
	 * the fleet's circuits. Unset: ai.fallback.cache.key-secret; start-up fails when
	 * neither is set.
	 */
	private String secret;

	/**
	 * Longest an exchange with Redis may take: past it, the exchange is cancelled and the
	 * link is down (each instance then decides alone), whatever the client's own command
	 * timeout. Callers never wait for Redis.
	 */
	private Duration timeout = Duration.ofMillis(100);

	/**
	 * How often each instance reads the fleet's circuit state from Redis: the longest
	 * delay before an opening elsewhere is followed here.
	 */
	private Duration refreshInterval = Duration.ofSeconds(1);

	/**
	 * How long the instance that won a probe has to report its outcome before another
	 * instance may probe; also how long a closed record stays readable.
	 */
	private Duration probeLease = Duration.ofSeconds(30);

	/**
	 * Whether each entry's retry budget (ai.fallback.retry.budget) is counted for the whole
	 * fleet: every instance adds its calls and retries to per-window Redis counters, so the
	 * ratio and the floor hold for the fleet rather than for each instance. Callers never
	 * wait for Redis; while its link is down, each instance uses its own budget.
	 */
	private boolean retryBudget = false;

	public boolean isRetryBudget() {
		return this.retryBudget;
	}

	public void setRetryBudget(boolean retryBudget) {
		this.retryBudget = retryBudget;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public String getSecret() {
		return this.secret;
	}

	public void setSecret(String secret) {
		this.secret = secret;
	}

	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public Duration getRefreshInterval() {
		return this.refreshInterval;
	}

	public void setRefreshInterval(Duration refreshInterval) {
		this.refreshInterval = refreshInterval;
	}

	public Duration getProbeLease() {
		return this.probeLease;
	}

	public void setProbeLease(Duration probeLease) {
		this.probeLease = probeLease;
	}

}

package io.github.aifallback.autoconfigure;

import java.time.Duration;

/**
 * Last good answers: kept per request, served when the whole chain fails.
 *
 * @since 0.1.0
 */
public class CacheProperties {

	/**
	 * Whether each request's last good answer is kept and served, marked degraded, when
	 * every model fails.
	 */
	private boolean enabled = true;

	/**
	 * Oldest answer that may be served.
	 */
	private Duration ttl = Duration.ofHours(1);

	/**
	 * Most answers kept by the starter's own Caffeine cache (ignored with
	 * use-cache-manager).
	 */
	private long maxSize = 10_000;

	/**
	 * Most memory, approximately, that the answers kept by the starter's own Caffeine
	 * cache may take (ignored with use-cache-manager). Bounds the cache together with
	 * max-size: whichever is reached first evicts.
	 */
	private org.springframework.util.unit.DataSize maxWeight = org.springframework.util.unit.DataSize
		.ofMegabytes(64);

	/**
	 * Name of the cache that holds the answers.
	 */
	private String name = "ai-fallback-last-good";

	/**
	 * Secret, at least 32 bytes, with which the keys of a shared cache (use-cache-manager)
	 * are hashed (HMAC-SHA256), so that a reader of the cache cannot tell whether a given
	 * prompt was asked, and with which the answers themselves are signed, so that a writer
	 * to the cache without the secret cannot have an answer of its own served. Every
	 * instance that should share answers needs the same secret. Required with
	 * use-cache-manager: start-up fails without it.
	 */
	private String keySecret;

	/**
	 * Whether answers are kept in the application's own CacheManager (Redis, for
	 * example, to share them across instances) instead of the starter's bounded
	 * Caffeine cache.
	 */
	private boolean useCacheManager = false;

	/**
	 * Fixed answer served, marked degraded, when every model fails and no last good
	 * answer exists for the request. Unset: the call fails with AllModelsFailedException.
	 */
	private String degradedMessage;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getTtl() {
		return this.ttl;
	}

	public void setTtl(Duration ttl) {
		this.ttl = ttl;
	}

	public long getMaxSize() {
		return this.maxSize;
	}

	public void setMaxSize(long maxSize) {
		this.maxSize = maxSize;
	}

	public org.springframework.util.unit.DataSize getMaxWeight() {
		return this.maxWeight;
	}

	public void setMaxWeight(org.springframework.util.unit.DataSize maxWeight) {
		this.maxWeight = maxWeight;
	}

	public String getKeySecret() {
		return this.keySecret;
	}

	public void setKeySecret(String keySecret) {
		this.keySecret = keySecret;
	}

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public boolean isUseCacheManager() {
		return this.useCacheManager;
	}

	public void setUseCacheManager(boolean useCacheManager) {
		this.useCacheManager = useCacheManager;
	}

	public String getDegradedMessage() {
		return this.degradedMessage;
	}

	public void setDegradedMessage(String degradedMessage) {
		this.degradedMessage = degradedMessage;
	}

}

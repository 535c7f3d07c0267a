package io.github.aifallback.chat.deployment;

import java.time.Duration;
import java.util.Objects;

/**
 * When a deployment counts as about to hit its rate limit, from the headers its provider
 * sent on its last success.
 *
 * @param minRemainingRequests a deployment whose remaining requests are at or below this
 * is avoided until the requests' reset
 * @param minRemainingTokens a deployment whose remaining tokens are at or below this is
 * avoided until the tokens' reset
 * @param maxWait the longest a reset is believed: a provider announcing a reset further
 * away does not take the deployment out of rotation for longer
 * @since 0.1.0
 */
public record RateLimitSettings(long minRemainingRequests, long minRemainingTokens, Duration maxWait) {

	/** The defaults: avoid a deployment only when it said nothing is left, for at most 5 min. */
	public static final RateLimitSettings DEFAULTS = new RateLimitSettings(0, 0, Duration.ofMinutes(5));

	/**
	 * Validate the settings.
	 */
	public RateLimitSettings {
		Objects.requireNonNull(maxWait, "maxWait");
		if (minRemainingRequests < 0 || minRemainingTokens < 0) {
			throw new IllegalArgumentException("minRemainingRequests and minRemainingTokens must not be negative");
		}
		if (maxWait.isNegative() || maxWait.isZero()) {
			throw new IllegalArgumentException("maxWait must be positive");
		}
	}

}

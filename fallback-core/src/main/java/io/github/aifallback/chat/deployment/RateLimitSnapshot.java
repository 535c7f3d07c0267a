package io.github.aifallback.chat.deployment;

import java.time.Instant;

/**
 * What a deployment's provider last said about its rate limits, as health shows it.
 *
 * @param remainingRequests the requests left in the window, or {@code -1} when unknown
 * @param requestsReset when the requests' window resets, or {@code null}
 * @param remainingTokens the tokens left in the window, or {@code -1} when unknown
 * @param tokensReset when the tokens' window resets, or {@code null}
 * @param limitedUntil until when the deployment is avoided, or {@code null} when it is not
 * @since 0.1.0
 */
public record RateLimitSnapshot(long remainingRequests, Instant requestsReset, long remainingTokens,
		Instant tokensReset, Instant limitedUntil) {

}

package io.github.aifallback.chat.deployment;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;

/**
 * What one deployment's provider said about its rate limits on its last successful
 * response: requests and tokens left, and when each window resets (OpenAI's
 * {@code x-ratelimit-*}, Anthropic's {@code anthropic-ratelimit-*} headers). The transport
 * records it ({@link #record}); the deployment picker reads it to route around a deployment
 * that would answer its next request with a 429. Thread-safe; a response without these
 * headers changes nothing.
 *
 * @since 0.1.0
 */
public final class RateLimitState {

	private static final long UNKNOWN = -1;

	private final Clock clock;

	private final RateLimitSettings settings;

	private volatile long remainingRequests = UNKNOWN;

	/** Epoch millis, or {@link #UNKNOWN}. */
	private volatile long requestsReset = UNKNOWN;

	private volatile long remainingTokens = UNKNOWN;

	private volatile long tokensReset = UNKNOWN;

	/**
	 * Create a state that knows nothing yet.
	 * @param clock the time source that relative resets ({@code 6m0s}) start from
	 * @param settings when the deployment counts as about to hit its limit
	 */
	public RateLimitState(Clock clock, RateLimitSettings settings) {
		this.clock = clock;
		this.settings = settings;
	}

	/**
	 * Record the rate-limit headers of a successful response; malformed values are ignored,
	 * and nothing is ever thrown.
	 * @param headers the response's header value by (case-insensitive) name, {@code null}
	 * when absent
	 */
	public void record(Function<String, String> headers) {
		try {
			String openAiRequests = headers.apply(RateLimitHeaders.OPENAI_REMAINING_REQUESTS);
			String openAiTokens = headers.apply(RateLimitHeaders.OPENAI_REMAINING_TOKENS);
			if (openAiRequests != null || openAiTokens != null) {
				long now = this.clock.millis();
				recordRequests(RateLimitHeaders.count(openAiRequests),
						relative(now, headers.apply(RateLimitHeaders.OPENAI_RESET_REQUESTS)));
				recordTokens(RateLimitHeaders.count(openAiTokens),
						relative(now, headers.apply(RateLimitHeaders.OPENAI_RESET_TOKENS)));
				return;
			}
			String anthropicRequests = headers.apply(RateLimitHeaders.ANTHROPIC_REMAINING_REQUESTS);
			String anthropicTokens = headers.apply(RateLimitHeaders.ANTHROPIC_REMAINING_TOKENS);
			if (anthropicRequests != null || anthropicTokens != null) {
				recordRequests(RateLimitHeaders.count(anthropicRequests),
						RateLimitHeaders.instantMillis(headers.apply(RateLimitHeaders.ANTHROPIC_RESET_REQUESTS)));
				recordTokens(RateLimitHeaders.count(anthropicTokens),
						RateLimitHeaders.instantMillis(headers.apply(RateLimitHeaders.ANTHROPIC_RESET_TOKENS)));
			}
		}
		catch (RuntimeException ex) {
			// Advice only: a header map that throws must not fail a call that succeeded.
		}
	}

	private static long relative(long now, String value) {
		long millis = RateLimitHeaders.durationMillis(value);
		return (millis < 0) ? UNKNOWN : now + millis;
	}

	private void recordRequests(long remaining, long reset) {
		this.remainingRequests = remaining;
		this.requestsReset = reset;
	}

	private void recordTokens(long remaining, long reset) {
		this.remainingTokens = remaining;
		this.tokensReset = reset;
	}

	/**
	 * Until when this deployment should be avoided: its requests or tokens left are at or
	 * below the thresholds and the window resets in the future (bounded by the settings'
	 * max wait from now). {@code -1} when it need not be avoided, or nothing is known.
	 * @return epoch milliseconds, or {@code -1}
	 */
	public long limitedUntilMillis() {
		long requestsReset = this.requestsReset;
		long tokensReset = this.tokensReset;
		if (requestsReset == UNKNOWN && tokensReset == UNKNOWN) {
			return UNKNOWN;
		}
		long now = this.clock.millis();
		long until = UNKNOWN;
		if (requestsReset > now && low(this.remainingRequests, this.settings.minRemainingRequests())) {
			until = requestsReset;
		}
		if (tokensReset > now && low(this.remainingTokens, this.settings.minRemainingTokens())) {
			until = Math.max(until, tokensReset);
		}
		return (until == UNKNOWN) ? UNKNOWN : Math.min(until, now + this.settings.maxWait().toMillis());
	}

	private static boolean low(long remaining, long threshold) {
		return remaining != UNKNOWN && remaining <= threshold;
	}

	/**
	 * What is known, for health.
	 * @return the snapshot
	 */
	public RateLimitSnapshot snapshot() {
		long until = limitedUntilMillis();
		return new RateLimitSnapshot(this.remainingRequests, instant(this.requestsReset), this.remainingTokens,
				instant(this.tokensReset), instant(until));
	}

	private static Instant instant(long millis) {
		return (millis == UNKNOWN) ? null : Instant.ofEpochMilli(millis);
	}

}

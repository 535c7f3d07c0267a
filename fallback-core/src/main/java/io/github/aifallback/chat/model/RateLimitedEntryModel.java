package io.github.aifallback.chat.model;

import java.time.Instant;

import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.deployment.RateLimitState;

/**
 * An entry of one endpoint that reads its provider's rate-limit headers
 * ({@code ai.fallback.rate-limit.skip-entries=true}) and tells the chain when nothing is
 * left, so that the chain skips it as it skips an open circuit: no request, no failure.
 *
 * @since 0.1.0
 */
public final class RateLimitedEntryModel extends ForwardingEntryModel {

	private final RateLimitState rateLimits;

	/**
	 * @param delegate the entry's model
	 * @param rateLimits the state its adapter records the provider's headers in
	 * @since 0.1.0
	 */
	public RateLimitedEntryModel(EntryModel delegate, RateLimitState rateLimits) {
		super(delegate);
		this.rateLimits = rateLimits;
	}

	@Override
	public Instant unavailableUntil() {
		long until = this.rateLimits.limitedUntilMillis();
		return (until < 0) ? null : Instant.ofEpochMilli(until);
	}

}

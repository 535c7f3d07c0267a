package io.github.aifallback.chat.deployment;

import java.time.Duration;
import java.util.Objects;

/**
 * When a deployment counts as about to hit its rate limit, from the headers its provider
 * sent on its last success. Immutable; built with {@link #custom()},
 * {@link #from(RateLimitSettings)} or {@link #ofDefaults()}, which are the supported way to
 * create it: the canonical constructor stays public (a record's must) but takes every
 * component in order, so it changes whenever a setting is added.
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
	 * Validate the settings; prefer {@link #custom()}.
	 * @throws IllegalArgumentException naming the first setting out of range
	 */
	public RateLimitSettings {
		if (minRemainingRequests < 0) {
			throw new IllegalArgumentException("minRemainingRequests must not be negative, not " + minRemainingRequests);
		}
		if (minRemainingTokens < 0) {
			throw new IllegalArgumentException("minRemainingTokens must not be negative, not " + minRemainingTokens);
		}
		if (maxWait == null) {
			throw new IllegalArgumentException("maxWait must be set");
		}
		if (maxWait.isNegative() || maxWait.isZero()) {
			throw new IllegalArgumentException("maxWait must be positive, not " + maxWait);
		}
	}

	/**
	 * A builder starting from the defaults.
	 * @return the builder
	 * @since 0.1.0
	 */
	public static Builder custom() {
		return new Builder(DEFAULTS);
	}

	/**
	 * A builder starting from other settings.
	 * @param base the settings to start from
	 * @return the builder
	 * @since 0.1.0
	 */
	public static Builder from(RateLimitSettings base) {
		return new Builder(Objects.requireNonNull(base, "base"));
	}

	/**
	 * The defaults.
	 * @return {@link #DEFAULTS}
	 * @since 0.1.0
	 */
	public static RateLimitSettings ofDefaults() {
		return DEFAULTS;
	}

	/**
	 * Builds {@link RateLimitSettings}; validates when {@link #build()} is called.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private long minRemainingRequests;

		private long minRemainingTokens;

		private Duration maxWait;

		private Builder(RateLimitSettings base) {
			this.minRemainingRequests = base.minRemainingRequests;
			this.minRemainingTokens = base.minRemainingTokens;
			this.maxWait = base.maxWait;
		}

		/**
		 * A deployment whose remaining requests are at or below this is avoided until the
		 * requests' reset.
		 * @param minRemainingRequests 0 or more (default 0: only when none is left)
		 * @return this builder
		 */
		public Builder minRemainingRequests(long minRemainingRequests) {
			this.minRemainingRequests = minRemainingRequests;
			return this;
		}

		/**
		 * A deployment whose remaining tokens are at or below this is avoided until the
		 * tokens' reset.
		 * @param minRemainingTokens 0 or more (default 0: only when none is left)
		 * @return this builder
		 */
		public Builder minRemainingTokens(long minRemainingTokens) {
			this.minRemainingTokens = minRemainingTokens;
			return this;
		}

		/**
		 * The longest a reset is believed.
		 * @param maxWait positive (default 5 min)
		 * @return this builder
		 */
		public Builder maxWait(Duration maxWait) {
			this.maxWait = maxWait;
			return this;
		}

		/**
		 * Validate and build.
		 * @return the settings
		 * @throws IllegalArgumentException naming the first setting out of range
		 */
		public RateLimitSettings build() {
			return new RateLimitSettings(this.minRemainingRequests, this.minRemainingTokens, this.maxWait);
		}

	}

}

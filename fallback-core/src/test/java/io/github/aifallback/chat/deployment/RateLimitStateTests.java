package io.github.aifallback.chat.deployment;

import java.time.Duration;
import java.util.Map;

import io.github.aifallback.chat.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading the providers' rate-limit headers: OpenAI's durations, Anthropic's instants,
 * thresholds, the max wait, and malformed values ignored.
 */
class RateLimitStateTests {

	private final MutableClock clock = new MutableClock();

	private final RateLimitState state = new RateLimitState(this.clock, RateLimitSettings.DEFAULTS);

	@Test
	void whenOpenAiDurationsAreReadThenGoSyntaxIsUnderstood() {
		assertThat(RateLimitHeaders.duration("1s")).isEqualTo(Duration.ofSeconds(1));
		assertThat(RateLimitHeaders.duration("6m0s")).isEqualTo(Duration.ofMinutes(6));
		assertThat(RateLimitHeaders.duration("20ms")).isEqualTo(Duration.ofMillis(20));
		assertThat(RateLimitHeaders.duration("1h2m3.5s")).isEqualTo(Duration.ofMillis(3_723_500));
		assertThat(RateLimitHeaders.duration("2")).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void whenValuesAreMalformedThenTheyReadAsAbsent() {
		assertThat(RateLimitHeaders.duration("soon")).isNull();
		assertThat(RateLimitHeaders.duration("1x")).isNull();
		assertThat(RateLimitHeaders.duration("s")).isNull();
		assertThat(RateLimitHeaders.duration("1..2s")).isNull();
		assertThat(RateLimitHeaders.count("-5")).isEqualTo(-1);
		assertThat(RateLimitHeaders.count("99999999999999999999")).isEqualTo(-1);
		assertThat(RateLimitHeaders.instantMillis("yesterday")).isEqualTo(-1);
	}

	@Test
	void whenNoRequestIsLeftThenTheDeploymentIsLimitedUntilTheReset() {
		this.state.record(Map.of("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "2s")::get);

		assertThat(this.state.limitedUntilMillis()).isEqualTo(this.clock.millis() + 2000);
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(this.state.limitedUntilMillis()).isEqualTo(-1);
	}

	@Test
	void whenRequestsAreLeftThenTheDeploymentIsNotLimited() {
		this.state.record(Map.of("x-ratelimit-remaining-requests", "1", "x-ratelimit-reset-requests", "2s")::get);

		assertThat(this.state.limitedUntilMillis()).isEqualTo(-1);
	}

	@Test
	void whenTokensAreBelowTheirThresholdThenTheDeploymentIsLimited() {
		RateLimitState tokens = new RateLimitState(this.clock, RateLimitSettings.custom()
			.minRemainingTokens(1000)
			.build());
		tokens.record(Map.of("x-ratelimit-remaining-tokens", "500", "x-ratelimit-reset-tokens", "10s")::get);

		assertThat(tokens.limitedUntilMillis()).isEqualTo(this.clock.millis() + 10_000);
	}

	@Test
	void whenAResetIsFarAwayThenItIsBelievedForMaxWaitOnly() {
		this.state.record(Map.of("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "100h")::get);

		assertThat(this.state.limitedUntilMillis()).isEqualTo(this.clock.millis() + Duration.ofMinutes(5).toMillis());
	}

	@Test
	void whenAnthropicHeadersArriveThenTheirInstantsAreRead() {
		String reset = this.clock.instant().plusSeconds(3).toString();
		this.state.record(Map.of("anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset",
				reset, "anthropic-ratelimit-tokens-remaining", "4000")::get);

		assertThat(this.state.limitedUntilMillis()).isEqualTo(this.clock.millis() + 3000);
		assertThat(this.state.snapshot().remainingTokens()).isEqualTo(4000);
	}

	@Test
	void whenTheHeaderLookupThrowsThenNothingEscapes() {
		this.state.record((name) -> {
			throw new IllegalStateException("broken");
		});

		assertThat(this.state.limitedUntilMillis()).isEqualTo(-1);
	}

	@Test
	void whenASuccessCarriesNoHeaderThenTheStateIsUnchanged() {
		this.state.record(Map.of("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "2s")::get);
		this.state.record(Map.<String, String>of()::get);

		assertThat(this.state.limitedUntilMillis()).isPositive();
	}

}

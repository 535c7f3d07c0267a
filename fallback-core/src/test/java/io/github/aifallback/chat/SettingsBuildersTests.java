package io.github.aifallback.chat;

import java.time.Duration;

import io.github.aifallback.chat.deployment.RateLimitSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The settings records' builders: {@code custom()} starts from the defaults, {@code from(base)}
 * changes only what is set, {@code ofDefaults()} is the defaults, and a value out of range fails
 * at {@code build()} with a message naming the setting.
 */
class SettingsBuildersTests {

	@Test
	void retrySettingsBuiltFromTheDefaultsChangeOnlyWhatIsSet() {
		RetrySettings settings = RetrySettings.custom().maxAttempts(5).jitter(false).build();

		assertThat(settings).isEqualTo(new RetrySettings(5, Duration.ofMillis(500), 2.0, Duration.ofSeconds(10), false,
				true, 8));
		assertThat(RetrySettings.custom().build()).isEqualTo(RetrySettings.ofDefaults())
			.isEqualTo(RetrySettings.DEFAULTS);
		assertThat(RetrySettings.from(settings).maxTotalAttempts(2).build())
			.isEqualTo(new RetrySettings(5, Duration.ofMillis(500), 2.0, Duration.ofSeconds(10), false, true, 2));
		assertThat(settings.maxTotalAttempts()).isEqualTo(8);
	}

	@Test
	void aFixedIntervalWaitsTheSameBeforeEveryRetry() {
		RetrySettings settings = RetrySettings.custom().fixedInterval(Duration.ofMillis(200)).build();

		assertThat(settings.intervalBefore(1)).isEqualTo(Duration.ofMillis(200));
		assertThat(settings.intervalBefore(4)).isEqualTo(Duration.ofMillis(200));
	}

	@Test
	void aRetrySettingOutOfRangeIsNamedWhenBuilt() {
		assertThatIllegalArgumentException().isThrownBy(() -> RetrySettings.custom().maxAttempts(0).build())
			.withMessage("maxAttempts must be at least 1, not 0");
		assertThatIllegalArgumentException().isThrownBy(() -> RetrySettings.custom().maxTotalAttempts(0).build())
			.withMessage("maxTotalAttempts must be at least 1, not 0");
		assertThatIllegalArgumentException().isThrownBy(() -> RetrySettings.custom().multiplier(0.5).build())
			.withMessage("multiplier must be at least 1, not 0.5");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RetrySettings.custom().initialInterval(Duration.ofMillis(-1)).build())
			.withMessage("initialInterval must not be negative, not PT-0.001S");
		assertThatIllegalArgumentException().isThrownBy(() -> RetrySettings.custom().maxInterval(null).build())
			.withMessage("maxInterval must be set");
	}

	@Test
	void hedgeSettingsNeedADelay() {
		assertThat(HedgeSettings.custom().delay(Duration.ofMillis(300)).build())
			.isEqualTo(HedgeSettings.after(Duration.ofMillis(300)));
		assertThat(HedgeSettings.from(HedgeSettings.after(Duration.ofMillis(300))).useObservedP95(true).build())
			.isEqualTo(HedgeSettings.afterObservedP95(Duration.ofMillis(300)));
		assertThatIllegalArgumentException().isThrownBy(() -> HedgeSettings.custom().build())
			.withMessage("delay must be set");
		assertThatIllegalArgumentException().isThrownBy(() -> HedgeSettings.after(Duration.ZERO))
			.withMessage("delay must be positive, not PT0S");
	}

	@Test
	void retryBudgetSettingsBuiltFromTheDefaultsChangeOnlyWhatIsSet() {
		RetryBudgetSettings settings = RetryBudgetSettings.custom().ratio(0.5).build();

		assertThat(settings).isEqualTo(new RetryBudgetSettings(0.5, Duration.ofSeconds(10), 3));
		assertThat(RetryBudgetSettings.from(settings).minRetriesPerSecond(0).build().floor()).isZero();
		assertThat(RetryBudgetSettings.ofDefaults()).isEqualTo(RetryBudgetSettings.custom().build());
		assertThatIllegalArgumentException().isThrownBy(() -> RetryBudgetSettings.custom().ratio(2).build())
			.withMessage("ratio must be between 0 and 1, not 2.0");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RetryBudgetSettings.custom().window(Duration.ofNanos(10)).build())
			.withMessageStartingWith("window must be at least 1 ms");
	}

	@Test
	void rateLimitSettingsBuiltFromTheDefaultsChangeOnlyWhatIsSet() {
		RateLimitSettings settings = RateLimitSettings.custom().minRemainingTokens(1000).build();

		assertThat(settings).isEqualTo(new RateLimitSettings(0, 1000, Duration.ofMinutes(5)));
		assertThat(RateLimitSettings.from(settings).maxWait(Duration.ofMinutes(1)).build())
			.isEqualTo(new RateLimitSettings(0, 1000, Duration.ofMinutes(1)));
		assertThat(RateLimitSettings.ofDefaults()).isEqualTo(RateLimitSettings.custom().build());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RateLimitSettings.custom().minRemainingRequests(-1).build())
			.withMessage("minRemainingRequests must not be negative, not -1");
		assertThatIllegalArgumentException().isThrownBy(() -> RateLimitSettings.custom().maxWait(Duration.ZERO).build())
			.withMessage("maxWait must be positive, not PT0S");
	}

}

package io.github.aifallback.autoconfigure;

import io.github.aifallback.chat.RetryBudgetSettings;

import org.springframework.util.StringUtils;

/**
 * Checks and converts the properties of issue 13's retry budget and stream continuation,
 * so that a wrong value fails start-up naming its property.
 */
final class BudgetAndContinuationSettings {

	private static final String BUDGET = "ai.fallback.retry.budget";

	private BudgetAndContinuationSettings() {
	}

	/** The budget's settings, or {@code null} when it is turned off. */
	static RetryBudgetSettings settings(RetryBudgetProperties budget) {
		if (!budget.isEnabled()) {
			return null;
		}
		if (!(budget.getRatio() >= 0 && budget.getRatio() <= 1)) {
			throw new InvalidFallbackConfigurationException(BUDGET + ".ratio",
					"the ratio " + budget.getRatio() + " is not between 0 and 1",
					"Set " + BUDGET + ".ratio to a share of the calls, e.g. 0.2 (retries add at most 20%), or turn "
							+ "the budget off with " + BUDGET + ".enabled=false.");
		}
		if (budget.getWindow() == null || budget.getWindow().toMillis() < 1) {
			throw new InvalidFallbackConfigurationException(BUDGET + ".window", "the window must be positive",
					"Set " + BUDGET + ".window to a positive duration, e.g. 10s.");
		}
		if (!(budget.getMinRetriesPerSecond() >= 0) || Double.isInfinite(budget.getMinRetriesPerSecond())) {
			throw new InvalidFallbackConfigurationException(BUDGET + ".min-retries-per-second",
					"the floor " + budget.getMinRetriesPerSecond() + " is not a number of 0 or more",
					"Set " + BUDGET + ".min-retries-per-second to 0 or more, e.g. 3.");
		}
		return RetryBudgetSettings.custom()
			.ratio(budget.getRatio())
			.window(budget.getWindow())
			.minRetriesPerSecond(budget.getMinRetriesPerSecond())
			.build();
	}

	/** The continuation's instruction, which must say something. */
	static String instruction(String instruction) {
		if (!StringUtils.hasText(instruction)) {
			throw new InvalidFallbackConfigurationException("ai.fallback.stream-continuation.instruction",
					"the instruction is empty",
					"Set ai.fallback.stream-continuation.instruction to a request to continue, e.g. \"Continue exactly "
							+ "where your previous answer stopped. Do not repeat anything.\", or leave it unset.");
		}
		return instruction;
	}

}

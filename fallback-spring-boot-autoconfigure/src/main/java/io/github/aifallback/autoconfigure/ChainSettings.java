package io.github.aifallback.autoconfigure;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.FallbackPolicy;
import io.github.aifallback.chat.RetrySettings;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.deployment.RateLimitSettings;

/**
 * The chain-wide settings of {@code ai.fallback.*}, resolved and checked once at start-up:
 * what each entry's own settings fall back on.
 *
 * @param properties the bound properties, for what is taken as it is
 * @param circuitBreaker the chain's circuit breaker
 * @param retry the chain's retries
 * @param policy the chain's action per failure kind
 * @param rateLimit the floors of providers' rate-limit headers
 * @param maxResponseBytes the largest response body read
 */
record ChainSettings(FallbackProperties properties, CircuitBreakerSettings circuitBreaker, RetrySettings retry,
		FallbackPolicy policy, RateLimitSettings rateLimit, long maxResponseBytes) {

	/** What 0 means for a rate-limit floor, in the fix of its start-up error. */
	private static final String AVOID_ONLY_WHEN_NOTHING_LEFT = "avoid a deployment only when nothing is left";

	/** @throws InvalidFallbackConfigurationException naming the first property to fix */
	static ChainSettings resolve(FallbackProperties properties) {
		validate(properties);
		RateLimitSettings rateLimit = rateLimitSettings(properties.getRateLimit());
		CircuitBreakerSettings circuitBreaker = circuitBreakerSettings(properties.getCircuitBreaker());
		validateOverload(properties);
		return new ChainSettings(properties, circuitBreaker, retrySettings(properties.getRetry()),
				policy(properties.getPolicy()), rateLimit, properties.getMaxResponseSize().toBytes());
	}

	Duration deadline() {
		return this.properties.getDeadline();
	}

	Duration timeout() {
		return this.properties.getTimeout();
	}

	private static void validate(FallbackProperties properties) {
		if (properties.getChain().isEmpty()) {
			throw new InvalidFallbackConfigurationException("ai.fallback.chain", "the chain has no entry",
					"Add at least one model, for example ai.fallback.chain[0].model=gpt-4o-mini, or turn the "
							+ "starter off with ai.fallback.enabled=false.");
		}
		Duration deadline = properties.getDeadline();
		Require.positive("ai.fallback.deadline", deadline);
		Require.positive("ai.fallback.timeout", properties.getTimeout());
		Require.withinDeadline("ai.fallback.timeout", properties.getTimeout(), deadline);
		Require.withinDeadline("ai.fallback.first-token-timeout", properties.getFirstTokenTimeout(), deadline);
		Require.withinDeadline("ai.fallback.idle-timeout", properties.getIdleTimeout(), deadline);
		Require.positive("ai.fallback.min-attempt-time", properties.getMinAttemptTime());
		if (properties.getMaxResponseSize() == null || properties.getMaxResponseSize().toBytes() < 1) {
			throw new InvalidFallbackConfigurationException("ai.fallback.max-response-size",
					"the size must be positive", "Set ai.fallback.max-response-size to a positive size, e.g. 10MB.");
		}
		if (properties.getMinAttemptTime().compareTo(deadline) >= 0) {
			throw new InvalidFallbackConfigurationException("ai.fallback.min-attempt-time",
					"the floor (" + properties.getMinAttemptTime() + ") leaves no attempt inside the deadline ("
							+ deadline + ")",
					"Set ai.fallback.min-attempt-time well below ai.fallback.deadline, e.g. 50ms.");
		}
		double hedgeBudget = properties.getHedge().getBudget();
		if (!(hedgeBudget >= 0 && hedgeBudget <= 1)) {
			throw new InvalidFallbackConfigurationException("ai.fallback.hedge.budget",
					"the share of extra requests " + hedgeBudget + " is not between 0 and 1",
					"Set ai.fallback.hedge.budget to a share such as 0.1 (at most 10% extra requests).");
		}
		if (properties.getHedge().getMinPerSecond() < 0) {
			throw new InvalidFallbackConfigurationException("ai.fallback.hedge.min-per-second",
					"the hedges allowed per second must not be negative", "Set it to 0 or more, e.g. 1.");
		}
		RetryProperties retry = properties.getRetry();
		Require.atLeastOne("ai.fallback.retry.max-attempts", retry.getMaxAttempts());
		Require.atLeastOne("ai.fallback.retry.max-total-attempts", retry.getMaxTotalAttempts());
		if (retry.getInitialInterval() == null || retry.getInitialInterval().isNegative()) {
			throw new InvalidFallbackConfigurationException("ai.fallback.retry.initial-interval",
					"the interval must not be negative", "Set ai.fallback.retry.initial-interval to 0 or more, e.g. 500ms.");
		}
		Require.positive("ai.fallback.retry.max-interval", retry.getMaxInterval());
		if (retry.getMultiplier() < 1.0) {
			throw new InvalidFallbackConfigurationException("ai.fallback.retry.multiplier",
					"the multiplier " + retry.getMultiplier() + " would shrink the waits",
					"Set ai.fallback.retry.multiplier to 1.0 (constant waits) or more, e.g. 2.0.");
		}
	}

	/** Panic mode, the chain's concurrency limit and the fallback floor (issue 19). */
	private static void validateOverload(FallbackProperties properties) {
		Require.percent("ai.fallback.panic.threshold", properties.getPanic().getThreshold());
		BulkheadProperties bulkhead = properties.getBulkhead();
		Require.zeroOrMore("ai.fallback.bulkhead.max-concurrent-calls", bulkhead.getMaxConcurrentCalls(), "no limit");
		Require.zeroOrMore("ai.fallback.bulkhead.max-wait-duration", bulkhead.getMaxWaitDuration().toMillis(),
				"calls over the limit move on at once");
		Duration floor = properties.getFallbackFloor();
		if (floor != null) {
			Require.zeroOrMore("ai.fallback.fallback-floor", floor.toMillis(), "no time is kept for later entries");
			if (floor.compareTo(properties.getDeadline()) >= 0) {
				throw new InvalidFallbackConfigurationException("ai.fallback.fallback-floor",
						"the floor kept for later entries (" + floor + ") is not shorter than the deadline ("
								+ properties.getDeadline() + ")",
						"Set ai.fallback.fallback-floor below ai.fallback.deadline (by default it is a third of it), "
								+ "or to 0 to turn deadline budgeting off.");
			}
		}
	}

	private static RateLimitSettings rateLimitSettings(RateLimitProperties rateLimit) {
		Require.zeroOrMore("ai.fallback.rate-limit.min-remaining-requests", rateLimit.getMinRemainingRequests(),
				AVOID_ONLY_WHEN_NOTHING_LEFT);
		Require.zeroOrMore("ai.fallback.rate-limit.min-remaining-tokens", rateLimit.getMinRemainingTokens(),
				AVOID_ONLY_WHEN_NOTHING_LEFT);
		Require.positive("ai.fallback.rate-limit.max-wait", rateLimit.getMaxWait());
		return RateLimitSettings.custom()
			.minRemainingRequests(rateLimit.getMinRemainingRequests())
			.minRemainingTokens(rateLimit.getMinRemainingTokens())
			.maxWait(rateLimit.getMaxWait())
			.build();
	}

	private static CircuitBreakerSettings circuitBreakerSettings(CircuitBreakerProperties breaker) {
		String prefix = "ai.fallback.circuit-breaker.";
		Require.zeroOrMore(prefix + "failure-threshold", breaker.getFailureThreshold(),
				"consecutive failures do not open the circuit");
		Require.positive(prefix + "open-duration", breaker.getOpenDuration());
		Require.positive(prefix + "max-open-duration", breaker.getMaxOpenDuration());
		if (breaker.getMaxOpenDuration().compareTo(breaker.getOpenDuration()) < 0) {
			throw new InvalidFallbackConfigurationException(prefix + "max-open-duration",
					"the longest open period (" + breaker.getMaxOpenDuration() + ") is shorter than the first ("
							+ breaker.getOpenDuration() + ")",
					"Set ai.fallback.circuit-breaker.max-open-duration to at least ai.fallback.circuit-breaker.open-duration.");
		}
		Require.atLeastOne(prefix + "sliding-window-size", breaker.getSlidingWindowSize());
		Require.atLeastOne(prefix + "minimum-number-of-calls", breaker.getMinimumNumberOfCalls());
		Require.percent(prefix + "failure-rate-threshold", breaker.getFailureRateThreshold());
		Require.percent(prefix + "slow-call-rate-threshold", breaker.getSlowCallRateThreshold());
		Require.positive(prefix + "slow-call-duration-threshold", breaker.getSlowCallDurationThreshold());
		Require.atLeastOne(prefix + "permitted-number-of-calls-in-half-open-state",
				breaker.getPermittedNumberOfCallsInHalfOpenState());
		Require.zeroOrMore(prefix + "slow-start", breaker.getSlowStart().toMillis(),
				"a closing circuit takes all its traffic back at once");
		return CircuitBreakerSettings.custom()
			.failureThreshold(breaker.getFailureThreshold())
			.openDuration(breaker.getOpenDuration())
			.maxOpenDuration(breaker.getMaxOpenDuration())
			.slidingWindow(breaker.getSlidingWindowType(), breaker.getSlidingWindowSize())
			.minimumNumberOfCalls(breaker.getMinimumNumberOfCalls())
			.failureRateThreshold(breaker.getFailureRateThreshold())
			.slowCallRateThreshold(breaker.getSlowCallRateThreshold())
			.slowCallDurationThreshold(breaker.getSlowCallDurationThreshold())
			.permittedNumberOfCallsInHalfOpenState(breaker.getPermittedNumberOfCallsInHalfOpenState())
			.slowStart(breaker.getSlowStart())
			.build();
	}

	private static RetrySettings retrySettings(RetryProperties retry) {
		return RetrySettings.custom()
			.maxAttempts(retry.getMaxAttempts())
			.initialInterval(retry.getInitialInterval())
			.multiplier(retry.getMultiplier())
			.maxInterval(retry.getMaxInterval())
			.jitter(retry.isJitter())
			.honorRetryAfter(retry.isHonorRetryAfter())
			.maxTotalAttempts(retry.getMaxTotalAttempts())
			.build();
	}

	private static FallbackPolicy policy(PolicyProperties policy) {
		Map<FailureKind, FailureAction> actions = new EnumMap<>(FailureKind.class);
		actions.put(FailureKind.RATE_LIMITED, policy.getRateLimited());
		actions.put(FailureKind.QUOTA_EXHAUSTED, policy.getQuotaExhausted());
		actions.put(FailureKind.SERVER_ERROR, policy.getServerError());
		actions.put(FailureKind.TIMEOUT, policy.getTimeout());
		actions.put(FailureKind.CONNECTION, policy.getConnection());
		actions.put(FailureKind.INVALID_RESPONSE, policy.getInvalidResponse());
		actions.put(FailureKind.CONTEXT_TOO_LONG, policy.getContextTooLong());
		actions.put(FailureKind.AUTH, policy.getAuth());
		actions.put(FailureKind.MODEL_NOT_FOUND, policy.getModelNotFound());
		actions.put(FailureKind.BAD_REQUEST, policy.getBadRequest());
		actions.put(FailureKind.REFUSED, policy.getRefused());
		actions.values().removeIf(Objects::isNull);
		return FallbackPolicy.of(actions);
	}

}

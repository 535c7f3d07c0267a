package io.github.aifallback.chat.observation;

import io.github.aifallback.chat.event.CallCompletedEvent;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default names of an {@code ai.fallback.call} observation: low-cardinality key values
 * {@code operation} ({@code call} or {@code stream}), {@code outcome}
 * ({@code served}, {@code degraded}, {@code failed}, {@code cancelled} when the caller gave
 * up, or {@code running} while it runs: what a long task timer started with the observation
 * sees) and {@code served.by} (an entry's name, {@code cache} or {@code none});
 * high-cardinality {@code ai.fallback.attempts}, the attempts made. The low-cardinality keys
 * are the tags of the {@code ai.fallback.call} timer that Micrometer derives from the
 * observation.
 *
 * @since 0.1.0
 */
public class DefaultFallbackCallObservationConvention implements FallbackCallObservationConvention {

	private static final String[] OUTCOMES = LowerCaseNames.of(CallCompletedEvent.Outcome.values());


	/** The observation's name. */
	public static final String NAME = "ai.fallback.call";

	/** The key of {@code call} or {@code stream}. */
	public static final String OPERATION = "operation";

	/** The key of the call's outcome. */
	public static final String OUTCOME = "outcome";

	/** The key of what served the call. */
	public static final String SERVED_BY = "served.by";

	/** The key of the number of attempts. */
	public static final String ATTEMPTS = "ai.fallback.attempts";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(FallbackCallObservationContext context) {
		return context.isStream() ? "ai.fallback stream" : "ai.fallback call";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(FallbackCallObservationContext context) {
		String outcome = (context.getOutcome() != null) ? OUTCOMES[context.getOutcome().ordinal()]
				: context.isCancelled() ? "cancelled" : "running";
		String servedBy = (context.getServedBy() != null) ? context.getServedBy() : "none";
		return KeyValues.of(KeyValue.of(OPERATION, operation(context)), KeyValue.of(OUTCOME, outcome),
				KeyValue.of(SERVED_BY, servedBy));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(FallbackCallObservationContext context) {
		return KeyValues.of(ATTEMPTS, Integer.toString(context.getAttempts()));
	}

	private static String operation(FallbackCallObservationContext context) {
		return context.isStream() ? "stream" : "call";
	}

}

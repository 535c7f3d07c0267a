package io.github.aifallback.chat.observation;

import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default names of an {@code ai.fallback.attempt} observation: low-cardinality key
 * values {@code entry} and {@code model} (from configuration), {@code result}
 * ({@code success}, the failure kind in lower case such as {@code server_error},
 * {@code cancelled}, or {@code running} while it runs) and {@code action} ({@code none},
 * {@code retry}, {@code fall_back} or {@code stop}); high-cardinality
 * {@code ai.fallback.attempt}, the attempt's number on its entry. The low-cardinality keys
 * are the tags of the {@code ai.fallback.attempt} timer that Micrometer derives from the
 * observation, named as the starter's other meters are ({@code entry} everywhere).
 *
 * @since 0.1.0
 */
public class DefaultFallbackAttemptObservationConvention implements FallbackAttemptObservationConvention {

	private static final String[] ACTIONS = LowerCaseNames.of(FailureAction.values());

	private static final String[] KINDS = LowerCaseNames.of(FailureKind.values());

	private static final java.util.Map<String, String> CONTEXTUAL_NAMES = new java.util.concurrent.ConcurrentHashMap<>();

	/** Attempt numbers as strings: no string per observation. */
	private static final String[] ATTEMPTS = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10" };


	/** The observation's name. */
	public static final String NAME = "ai.fallback.attempt";

	/** The key of the entry's name. */
	public static final String ENTRY = "entry";

	/** The key of the entry's model id. */
	public static final String MODEL = "model";

	/** The key of the attempt's result: {@code success} or the failure kind. */
	public static final String RESULT = "result";

	/** The key of what the chain did after the attempt. */
	public static final String ACTION = "action";

	/** The key of the attempt's number. */
	public static final String ATTEMPT = "ai.fallback.attempt";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(FallbackAttemptObservationContext context) {
		String entry = context.getEntry();
		if (entry == null) {
			return "ai.fallback attempt null";
		}
		// Entry names are the chain's: a handful, each named once.
		return CONTEXTUAL_NAMES.computeIfAbsent(entry, (name) -> "ai.fallback attempt " + name);
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(FallbackAttemptObservationContext context) {
		return KeyValues.of(KeyValue.of(ENTRY, context.getEntry()), KeyValue.of(MODEL, context.getModel()),
				KeyValue.of(RESULT, result(context)), KeyValue.of(ACTION, (context.getAction() != null)
						? ACTIONS[context.getAction().ordinal()] : "none"));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(FallbackAttemptObservationContext context) {
		int attempt = context.getAttempt();
		return KeyValues.of(ATTEMPT,
				(attempt >= 0 && attempt < ATTEMPTS.length) ? ATTEMPTS[attempt] : Integer.toString(attempt));
	}

	private static String result(FallbackAttemptObservationContext context) {
		if (context.getFailureKind() != null) {
			return KINDS[context.getFailureKind().ordinal()];
		}
		if (context.isSucceeded()) {
			return "success";
		}
		return context.isCancelled() ? "cancelled" : "running";
	}

}

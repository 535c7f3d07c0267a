package io.github.aifallback.chat.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names an {@code ai.fallback.attempt} observation and its key values; implement it (or
 * extend {@link DefaultFallbackAttemptObservationConvention}) and set it with
 * {@code ResilientChatClient.Builder#attemptObservationConvention} to change them.
 *
 * @since 0.1.0
 */
public interface FallbackAttemptObservationConvention
		extends ObservationConvention<FallbackAttemptObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof FallbackAttemptObservationContext;
	}

}

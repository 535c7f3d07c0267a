package io.github.aifallback.chat.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names an {@code ai.fallback.call} observation and its key values; implement it (or extend
 * {@link DefaultFallbackCallObservationConvention}) and set it with
 * {@code ResilientChatClient.Builder#callObservationConvention} to change them.
 *
 * @since 0.1.0
 */
public interface FallbackCallObservationConvention extends ObservationConvention<FallbackCallObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof FallbackCallObservationContext;
	}

}

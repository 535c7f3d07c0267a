package io.github.aifallback.actuate;

import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.circuit.CircuitState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds {@code ai.fallback.circuit.state}, a gauge per chain entry (tag {@code entry}) whose
 * value is the entry's circuit state: {@code 0} closed, {@code 1} half-open, {@code 2} open,
 * {@code 3} forced open. Higher is further out of rotation, so {@code max} over entries and
 * alerts on {@code >= 2} read naturally.
 *
 * @since 0.1.0
 */
public class CircuitStateMetrics implements MeterBinder {

	/** The gauge's name. */
	public static final String CIRCUIT_STATE = "ai.fallback.circuit.state";

	private final ResilientChatClient client;

	/**
	 * Gauges for the given client's entries.
	 * @param client the client
	 */
	public CircuitStateMetrics(ResilientChatClient client) {
		this.client = client;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (CircuitBreaker breaker : this.client.getCircuitBreakers()) {
			Gauge.builder(CIRCUIT_STATE, breaker, (measured) -> value(measured.state()))
				.description("Circuit state of an AI fallback chain entry: 0 closed, 1 half-open, 2 open, 3 forced open")
				.tag("entry", breaker.entry())
				.register(registry);
		}
	}

	/**
	 * The gauge's value for a state.
	 * @param state the state
	 * @return 0 closed, 1 half-open, 2 open, 3 forced open
	 */
	public static double value(CircuitState state) {
		return switch (state) {
			case CLOSED -> 0;
			case HALF_OPEN -> 1;
			case OPEN -> 2;
			case FORCED_OPEN -> 3;
		};
	}

}

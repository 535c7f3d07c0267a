package io.github.aifallback.actuate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.deployment.DeploymentsEntryModel;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds {@code ai.fallback.circuit.state}, a gauge per chain entry (tag {@code entry}) whose
 * value is the entry's circuit state: {@code 0} closed, {@code 1} half-open, {@code 2} open,
 * {@code 3} forced open. Higher is further out of rotation, so {@code max} over entries and
 * alerts on {@code >= 2} read naturally. Also {@code ai.fallback.circuit.states}, one gauge
 * per entry and state (tags {@code entry} and {@code state}: {@code closed},
 * {@code half_open}, {@code open}, {@code forced_open}), {@code 1} for the entry's current
 * state and {@code 0} for the others, as Resilience4j's
 * {@code resilience4j.circuitbreaker.state}: summing it with {@code state="open"} counts the
 * open circuits. An entry of several deployments also has these gauges for each deployment's
 * circuit, tagged {@code entry=<entry>#<index>}.
 * <p>
 * {@code ai.fallback.circuit.failure.rate} and {@code ai.fallback.circuit.slow.call.rate},
 * gauges per entry (tag {@code entry}): the failure and slow-call rates (percent, 0 to 100)
 * of the circuit's sliding window, the rates its decisions use, or {@code -1} while the
 * window holds fewer than its minimum number of calls, as Resilience4j's
 * {@code resilience4j.circuitbreaker.failure.rate} and {@code slow.call.rate}.
 *
 * @since 0.1.0
 */
public class CircuitStateMetrics implements MeterBinder {

	/** The gauge's name. */
	public static final String CIRCUIT_STATE = "ai.fallback.circuit.state";

	/**
	 * The name of the gauges per state.
	 * @since 0.1.0
	 */
	public static final String CIRCUIT_STATES = "ai.fallback.circuit.states";

	/**
	 * The name of the failure-rate gauges.
	 * @since 0.1.0
	 */
	public static final String FAILURE_RATE = "ai.fallback.circuit.failure.rate";

	/**
	 * The name of the slow-call-rate gauges.
	 * @since 0.1.0
	 */
	public static final String SLOW_CALL_RATE = "ai.fallback.circuit.slow.call.rate";

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
		List<CircuitBreaker> breakers = new ArrayList<>(this.client.getCircuitBreakers());
		// Each deployment's own circuit too, tagged by its breaker's name <entry>#<index>.
		for (ChainEntry entry : this.client.getEntries()) {
			if (entry.entryModel() instanceof DeploymentsEntryModel deployments) {
				breakers.addAll(deployments.circuitBreakers());
			}
		}
		for (CircuitBreaker breaker : breakers) {
			Gauge.builder(CIRCUIT_STATE, breaker, (measured) -> value(measured.state()))
				.description("Circuit state of an AI fallback chain entry: 0 closed, 1 half-open, 2 open, 3 forced open")
				.tag("entry", breaker.entry())
				.register(registry);
			Gauge.builder(FAILURE_RATE, breaker, (measured) -> measured.snapshot().failureRate())
				.description("Failure rate of an AI fallback chain entry's circuit window in percent, "
						+ "-1 below its minimum number of calls")
				.tag("entry", breaker.entry())
				.register(registry);
			Gauge.builder(SLOW_CALL_RATE, breaker, (measured) -> measured.snapshot().slowCallRate())
				.description("Slow-call rate of an AI fallback chain entry's circuit window in percent, "
						+ "-1 below its minimum number of calls")
				.tag("entry", breaker.entry())
				.register(registry);
			for (CircuitState state : CircuitState.values()) {
				Gauge.builder(CIRCUIT_STATES, breaker, (measured) -> (measured.state() == state) ? 1 : 0)
					.description("Whether an AI fallback chain entry's circuit is in the state: 1 yes, 0 no")
					.tag("entry", breaker.entry())
					.tag("state", state.name().toLowerCase(Locale.ROOT))
					.register(registry);
			}
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

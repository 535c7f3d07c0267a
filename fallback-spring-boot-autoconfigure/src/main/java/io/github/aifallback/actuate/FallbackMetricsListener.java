package io.github.aifallback.actuate;

import java.util.Locale;

import io.github.aifallback.chat.event.AttemptFailedEvent;
import io.github.aifallback.chat.event.AttemptSucceededEvent;
import io.github.aifallback.chat.event.CallCompletedEvent;
import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.event.FallbackEventListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Records a chain's calls and attempts as Micrometer meters:
 * <ul>
 * <li>{@code ai.fallback.calls}, a timer tagged {@code outcome} ({@code served},
 * {@code degraded} or {@code failed}) and {@code served.by} (the entry's name, {@code cache}
 * or {@code none});</li>
 * <li>{@code ai.fallback.attempts}, a counter tagged {@code entry} and {@code result}
 * ({@code success}, or the failure kind in lower case, such as {@code server_error}).</li>
 * </ul>
 * Tag values come from entry names and fixed enums only, so the number of series is bounded
 * by the chain's length, never by the traffic. The auto-configured client gets this
 * listener; add it to a client of your own with
 * {@code ResilientChatClient.Builder#listener}.
 *
 * @since 0.1.0
 */
public class FallbackMetricsListener implements FallbackEventListener {

	/** The timer of whole calls through the chain. */
	public static final String CALLS = "ai.fallback.calls";

	/** The counter of attempts on each entry. */
	public static final String ATTEMPTS = "ai.fallback.attempts";

	private final MeterRegistry registry;

	/**
	 * A listener recording into the given registry.
	 * @param registry the registry
	 */
	public FallbackMetricsListener(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onEvent(FallbackEvent event) {
		if (event instanceof CallCompletedEvent call) {
			Timer.builder(CALLS)
				.description("Calls through the AI fallback chain")
				.tag("outcome", lowerCase(call.outcome()))
				.tag("served.by", call.entry())
				.register(this.registry)
				.record(call.duration());
		}
		else if (event instanceof AttemptSucceededEvent attempt) {
			countAttempt(attempt.entry(), "success");
		}
		else if (event instanceof AttemptFailedEvent attempt) {
			countAttempt(attempt.entry(), lowerCase(attempt.failure().kind()));
		}
	}

	private void countAttempt(String entry, String result) {
		Counter.builder(ATTEMPTS)
			.description("Attempts on each AI fallback chain entry")
			.tag("entry", entry)
			.tag("result", result)
			.register(this.registry)
			.increment();
	}

	private static String lowerCase(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

}

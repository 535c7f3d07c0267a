package io.github.aifallback.actuate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

import io.github.aifallback.chat.event.CallNotPermittedEvent;
import io.github.aifallback.chat.event.DegradedResponseEvent;
import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.event.FallbackEventListener;
import io.github.aifallback.chat.event.FellBackEvent;
import io.github.aifallback.chat.event.RetryDeniedEvent;
import io.github.aifallback.chat.event.HedgeEvent;
import io.github.aifallback.chat.event.TokenUsageEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Records what a chain's events say as Micrometer counters (the durations of calls and
 * attempts are the timers {@code ai.fallback.call} and {@code ai.fallback.attempt} that
 * Micrometer derives from the chain's observations; no counter here measures them twice):
 * <ul>
 * <li>{@code ai.fallback.not.permitted.calls}, a counter tagged {@code entry}: calls that
 * skipped the entry because its circuit did not let them through;</li>
 * <li>{@code ai.fallback.fallbacks}, a counter tagged {@code from} and {@code to} (entry
 * names): the chain left one entry for the next;</li>
 * <li>{@code ai.fallback.degraded.answers}, a counter tagged {@code source}
 * ({@code last_good} or {@code fixed_message}): degraded answers served;</li>
 * <li>{@code ai.fallback.retries.denied}, a counter tagged {@code entry}: retries not made
 * because the entry's retry budget was spent (the chain fell back instead);</li>
 * <li>{@code ai.fallback.hedges}, a counter tagged {@code entry} and {@code outcome}
 * ({@code won} or {@code lost}): entries of hedged races, the one served and the one
 * cancelled;</li>
 * <li>{@code ai.fallback.token.usage}, a counter tagged {@code entry} and {@code type}
 * ({@code input} or {@code output}): the tokens of served answers, as their providers
 * reported them.</li>
 * </ul>
 * Tag values come from entry names and fixed enums only, so the number of series is bounded
 * by the chain's length, never by the traffic. The auto-configured client gets this
 * listener; add it to a client of your own with
 * {@code ResilientChatClient.Builder#listener}.
 *
 * @since 0.1.0
 */
public class FallbackMetricsListener implements FallbackEventListener {

	/**
	 * The timer of whole calls through the chain, derived from the {@code ai.fallback.call}
	 * observation (tags {@code operation}, {@code outcome}, {@code served.by}).
	 */
	public static final String CALL = "ai.fallback.call";

	/**
	 * The timer of attempts on each entry, derived from the {@code ai.fallback.attempt}
	 * observation (tags {@code entry}, {@code model}, {@code result}, {@code action}).
	 */
	public static final String ATTEMPT = "ai.fallback.attempt";

	/** The counter of the tokens of served answers, by entry and type. */
	public static final String TOKEN_USAGE = "ai.fallback.token.usage";

	/**
	 * The counter of calls that skipped an entry because of its circuit.
	 * @since 0.1.0
	 */
	public static final String NOT_PERMITTED = "ai.fallback.not.permitted.calls";

	/**
	 * The counter of fallbacks from one entry to the next.
	 * @since 0.1.0
	 */
	public static final String FALLBACKS = "ai.fallback.fallbacks";

	/**
	 * The counter of entries in hedged races, by outcome.
	 * @since 0.1.0
	 */
	public static final String HEDGES = "ai.fallback.hedges";

	/**
	 * The counter of degraded answers served.
	 * @since 0.1.0
	 */
	public static final String DEGRADED = "ai.fallback.degraded.answers";

	/**
	 * The counter of retries denied by an entry's retry budget.
	 * @since 0.1.0
	 */
	public static final String RETRIES_DENIED = "ai.fallback.retries.denied";

	private static final int NOT_PERMITTED_INDEX = 0;

	private static final int FALLBACK_INDEX = NOT_PERMITTED_INDEX + 1;

	private static final int DEGRADED_INDEX = FALLBACK_INDEX + 1;

	private static final int RETRY_DENIED_INDEX = DEGRADED_INDEX + 1;

	private static final int INPUT_TOKENS_INDEX = RETRY_DENIED_INDEX + 1;

	private static final int OUTPUT_TOKENS_INDEX = INPUT_TOKENS_INDEX + 1;

	private static final int SLOTS = OUTPUT_TOKENS_INDEX + 1;

	private final MeterRegistry registry;

	/**
	 * Meters already registered, by their tag values: an event costs a map read, not a
	 * builder, a tag list and a registry lookup (the registry's own map is keyed by a
	 * {@code Meter.Id} that each lookup would allocate and hash). Bounded as the series are:
	 * by the chain's entries and fixed enums.
	 */
	private final Map<String, AtomicReferenceArray<Meter>> meters = new ConcurrentHashMap<>();

	/**
	 * A listener recording into the given registry.
	 * @param registry the registry
	 */
	public FallbackMetricsListener(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onEvent(FallbackEvent event) {
		if (event instanceof TokenUsageEvent tokens) {
			countTokens(tokens.entry(), INPUT_TOKENS_INDEX, "input", tokens.inputTokens());
			countTokens(tokens.entry(), OUTPUT_TOKENS_INDEX, "output", tokens.outputTokens());
		}
		else if (event instanceof CallNotPermittedEvent skipped) {
			counter(skipped.entry(), NOT_PERMITTED_INDEX, () -> Counter.builder(NOT_PERMITTED)
				.description("Calls that skipped an AI fallback chain entry because its circuit did not let them through")
				.tag("entry", skipped.entry())
				.register(this.registry)).increment();
		}
		else if (event instanceof FellBackEvent fellBack) {
			// Keyed by both names: the pair is bounded by the chain's length squared.
			counter(fellBack.entry() + '\u0000' + fellBack.next(), FALLBACK_INDEX, () -> Counter.builder(FALLBACKS)
				.description("Fallbacks from one AI fallback chain entry to the next")
				.tag("from", fellBack.entry())
				.tag("to", fellBack.next())
				.register(this.registry)).increment();
		}
		else if (event instanceof RetryDeniedEvent denied) {
			counter(denied.entry(), RETRY_DENIED_INDEX, () -> Counter.builder(RETRIES_DENIED)
				.description("Retries not made because the AI fallback chain entry's retry budget was spent")
				.tag("entry", denied.entry())
				.register(this.registry)).increment();
		}
		else if (event instanceof HedgeEvent hedge) {
			Counter.builder(HEDGES)
				.description("Entries of hedged AI fallback calls: won (served) or lost (cancelled)")
				.tag("entry", hedge.entry())
				.tag("outcome", hedge.won() ? "won" : "lost")
				.register(this.registry)
				.increment();
		}
		else if (event instanceof DegradedResponseEvent degraded) {
			String source = degraded.fixedMessage() ? "fixed_message" : "last_good";
			counter(source, DEGRADED_INDEX, () -> Counter.builder(DEGRADED)
				.description("Degraded answers served when every AI fallback chain entry failed")
				.tag("source", source)
				.register(this.registry)).increment();
		}
	}

	private void countTokens(String entry, int index, String type, long tokens) {
		if (tokens > 0) {
			counter(entry, index, () -> Counter.builder(TOKEN_USAGE)
				.description("Tokens of the answers each AI fallback chain entry served")
				.tag("entry", entry)
				.tag("type", type)
				.register(this.registry)).increment(tokens);
		}
	}

	private Counter counter(String name, int index, Supplier<Meter> register) {
		return (Counter) meter(name, index, register);
	}

	/**
	 * The meter in slot {@code index} of the name's row, registered on first use. Two threads
	 * may register the same meter at once: the registry returns one instance to both.
	 */
	private Meter meter(String name, int index, Supplier<Meter> register) {
		AtomicReferenceArray<Meter> row = this.meters.get(name);
		if (row == null) {
			row = this.meters.computeIfAbsent(name, (key) -> new AtomicReferenceArray<>(SLOTS));
		}
		Meter meter = row.get(index);
		if (meter == null) {
			meter = register.get();
			row.set(index, meter);
		}
		return meter;
	}

}

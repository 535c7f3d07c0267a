package io.github.aifallback.chat.event;

import java.time.Instant;
import java.util.List;

/**
 * The chain entered or left panic mode: enough of its entries are out on inferred evidence
 * that calls every entry refuses are sent to the one most likely to answer anyway.
 *
 * @param entered whether the chain entered panic mode ({@code false}: it left it)
 * @param inferredOut the entries out on inferred evidence when it changed
 * @param time when it changed
 * @since 0.1.0
 */
public record PanicModeEvent(boolean entered, List<String> inferredOut, Instant time) implements FallbackEvent {

	/** What {@link #entry()} names: the event is about the whole chain. */
	public static final String CHAIN = "chain";

	/**
	 * The event is about the chain, not one entry.
	 * @return {@link #CHAIN}
	 */
	@Override
	public String entry() {
		return CHAIN;
	}

}

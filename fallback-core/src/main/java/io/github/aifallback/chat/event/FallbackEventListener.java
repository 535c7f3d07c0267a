package io.github.aifallback.chat.event;

/**
 * Receives the chain's {@link FallbackEvent events}, on the calling thread. A listener that
 * throws is logged and ignored: it never fails a call.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface FallbackEventListener {

	/**
	 * Handle an event.
	 * @param event the event
	 */
	void onEvent(FallbackEvent event);

}

package io.github.aifallback.chat.fleet;

/**
 * The state of an instance's link to the fleet it shares circuit state with, for health and
 * metrics: up while its last exchange with the shared store succeeded in time.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface FleetLink {

	/**
	 * Whether the last exchange with the fleet's store succeeded in time.
	 * @return {@code true} when the link is up
	 */
	boolean isUp();

}

package io.github.aifallback.chat;

/**
 * Where the last good answer of each request is kept. Implementations must not throw for a
 * missing key, and should not throw at all: a failing store must never fail a call.
 *
 * @since 0.1.0
 * @see CacheLastGoodStore
 */
public interface LastGoodStore {

	/**
	 * The last good answer for a key.
	 * @param key the request's key (a hash, never the prompt)
	 * @return the answer, or {@code null} when there is none (or it expired)
	 */
	LastGoodAnswer get(String key);

	/**
	 * Keep an answer for a key, replacing the previous one.
	 * @param key the request's key
	 * @param answer the answer
	 */
	void put(String key, LastGoodAnswer answer);

}

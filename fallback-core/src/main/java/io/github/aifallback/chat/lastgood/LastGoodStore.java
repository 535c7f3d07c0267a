package io.github.aifallback.chat.lastgood;

/**
 * Where the last good answer of each request is kept. The client guards every store it is
 * given: writes run asynchronously on a bounded queue, reads wait at most the time the call
 * has left, and a store that keeps failing or timing out is skipped for a while. An
 * implementation may thus block or throw; a failure is a miss, never a failed call.
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

package io.github.aifallback.chat.lastgood.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Writes a key's last good answer at most once a second. Without it, every success of a
 * popular request rewrites the same cache entry: all concurrent calls then queue on that
 * entry's lock (Caffeine), or each pays a network write (Redis). The answer kept is thus at
 * most a second older than the latest one.
 * <p>
 * A fixed table of {@value #SLOTS} slots indexed by the key's hash, each holding the hash and
 * the time of the last write: no allocation, no lock, no map that grows and must be cleared
 * under traffic of unique requests (a map of keys made every success pay a node and, every
 * ten thousand, a clear). Two keys that share a slot only evict each other, which lets an
 * extra write through; two keys with the same 32-bit hash within a second let one write
 * less through, and the next success after the second writes it.
 */
public final class WriteThrottle {

	static final long INTERVAL_MILLIS = 1_000;

	static final int SLOTS = 4096;

	/** Each slot: the key's hash in the high 32 bits, the write's time in milliseconds (low 32 bits) in the low. */
	private final AtomicLongArray slots = new AtomicLongArray(SLOTS);

	/**
	 * Whether to write this key now. Races between threads are benign: at worst one extra
	 * write, or one write fewer for a key written less than a second ago.
	 * @param key the last-good key
	 * @param nowMillis the current time
	 * @return whether to write
	 */
	public boolean tryAcquire(String key, long nowMillis) {
		int hash = key.hashCode();
		int index = slot(hash);
		long stamp = this.slots.getOpaque(index);
		int now = (int) nowMillis;
		// A new throttle's slots are 0: hash 0 at time 0 would read as written; the write
		// goes through then, as it only looks recent when the clock is within a second of 0.
		if (stamp != 0 && (int) (stamp >>> 32) == hash) {
			// Modular difference of the low 32 bits: right across their wrap-around; a clock
			// that went back gives a negative difference, and the key is written.
			int elapsed = now - (int) stamp;
			if (elapsed >= 0 && elapsed < INTERVAL_MILLIS) {
				return false;
			}
		}
		this.slots.setOpaque(index, ((long) hash << 32) | (now & 0xFFFFFFFFL));
		return true;
	}

	static int slot(int hash) {
		return (hash ^ (hash >>> 16)) & (SLOTS - 1);
	}

}

package io.github.aifallback.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import io.github.aifallback.chat.lastgood.LastGoodAnswer;
import io.github.aifallback.chat.lastgood.LastGoodStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last good answers in a cache shared between instances (the application's
 * {@code CacheManager}, Redis say): keys are HMACs of the request's key with the
 * application's secret, values the starter's own JSON with its TTL set in the cache where
 * it can be. A value that is not such JSON (planted, corrupt, from another version) is a
 * miss, not an error. Failures of the cache itself propagate to the client's guard.
 */
final class SharedLastGoodStore implements LastGoodStore {

	private static final Logger logger = LoggerFactory.getLogger(SharedLastGoodStore.class);

	private final SharedValues values;

	private final KeyHmac keys;

	private final Duration timeToLive;

	private final Clock clock;

	SharedLastGoodStore(SharedValues values, KeyHmac keys, Duration timeToLive, Clock clock) {
		this.values = values;
		this.keys = keys;
		this.timeToLive = timeToLive;
		this.clock = clock;
	}

	@Override
	public LastGoodAnswer get(String key) {
		byte[] bytes = this.values.get(this.keys.hash(key));
		if (bytes == null) {
			return null;
		}
		LastGoodAnswer answer;
		try {
			answer = LastGoodAnswerJson.read(bytes);
		}
		catch (LastGoodAnswerJson.InvalidValueException ex) {
			logger.debug("AI fallback: {} holds {} under a last-good key; treating it as a miss", this.values,
					ex.getMessage());
			return null;
		}
		return answer.storedAt().plus(this.timeToLive).isBefore(this.clock.instant()) ? null : answer;
	}

	@Override
	public void put(String key, LastGoodAnswer answer) {
		this.values.put(this.keys.hash(key), LastGoodAnswerJson.write(answer), this.timeToLive);
	}

	@Override
	public String toString() {
		return "SharedLastGoodStore[" + this.values + ", ttl=" + this.timeToLive + "]";
	}

}

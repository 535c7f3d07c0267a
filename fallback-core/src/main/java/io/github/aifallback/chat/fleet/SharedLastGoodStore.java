package io.github.aifallback.chat.fleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

import io.github.aifallback.chat.lastgood.LastGoodAnswer;
import io.github.aifallback.chat.lastgood.LastGoodStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last good answers in a cache shared between instances (the application's
 * {@code CacheManager}, Redis say): keys are HMACs of the request's key with the
 * application's secret, values the starter's own JSON signed with the same secret and bound
 * to their key ({@code <hmac-hex>.<json>}), with its TTL set in the cache where it can be. A
 * value that does not verify (written without the secret, copied from another key,
 * tampered with) is dropped, counted and logged at most once a minute; a verified value
 * that is not such JSON (another version) is a miss. Failures of the cache itself
 * propagate to the client's guard.
 */
public final class SharedLastGoodStore implements LastGoodStore {

	private static final Logger logger = LoggerFactory.getLogger(SharedLastGoodStore.class);

	private static final int MAC_CHARS = 64;

	private final SharedValues values;

	private final KeyHmac keys;

	private final Duration timeToLive;

	private final Clock clock;

	private final SharedRejections rejections;

	/**
	 * @param values where the signed values go
	 * @param keys hashes keys and signs values
	 * @param timeToLive how long an answer may be served
	 * @param clock the client's clock: answers are stamped by it
	 * @since 0.1.0
	 */
	public SharedLastGoodStore(SharedValues values, KeyHmac keys, Duration timeToLive, Clock clock) {
		this.values = values;
		this.keys = keys;
		this.timeToLive = timeToLive;
		this.clock = clock;
		this.rejections = new SharedRejections(values.toString());
	}

	@Override
	public LastGoodAnswer get(String key) {
		String hashed = this.keys.hash(key);
		byte[] bytes = this.values.get(hashed);
		if (bytes == null) {
			return null;
		}
		byte[] json = verified(hashed, bytes);
		if (json == null) {
			this.rejections.reject("a last-good value whose signature does not verify");
			return null;
		}
		LastGoodAnswer answer;
		try {
			answer = LastGoodAnswerJson.read(json);
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
		String hashed = this.keys.hash(key);
		byte[] json = LastGoodAnswerJson.write(answer);
		byte[] mac = sign(hashed, json);
		byte[] value = new byte[MAC_CHARS + 1 + json.length];
		System.arraycopy(mac, 0, value, 0, MAC_CHARS);
		value[MAC_CHARS] = '.';
		System.arraycopy(json, 0, value, MAC_CHARS + 1, json.length);
		this.values.put(hashed, value, this.timeToLive);
	}

	/** The JSON of a value whose signature verifies for this key, else {@code null}. */
	private byte[] verified(String hashedKey, byte[] value) {
		if (value.length <= MAC_CHARS + 1 || value[MAC_CHARS] != '.'
				|| value.length > MAC_CHARS + 1 + LastGoodAnswerJson.MAX_BYTES) {
			return null;
		}
		byte[] json = Arrays.copyOfRange(value, MAC_CHARS + 1, value.length);
		return MessageDigest.isEqual(sign(hashedKey, json), Arrays.copyOfRange(value, 0, MAC_CHARS)) ? json : null;
	}

	/** The key is signed with the value: a valid answer copied under another key does not verify. */
	private byte[] sign(String hashedKey, byte[] json) {
		byte[] key = (hashedKey + "\n").getBytes(StandardCharsets.UTF_8);
		byte[] signed = Arrays.copyOf(key, key.length + json.length);
		System.arraycopy(json, 0, signed, key.length, json.length);
		return this.keys.hash(signed).getBytes(StandardCharsets.UTF_8);
	}

	/** How many values failed verification and were dropped. */
	long rejectedValues() {
		return this.rejections.count();
	}

	@Override
	public String toString() {
		return "SharedLastGoodStore[" + this.values + ", ttl=" + this.timeToLive + "]";
	}

}

package io.github.aifallback.chat.fleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The fleet's records as they are kept in Redis: {@code 1|<kind>|<id>|<linger-ms>|<mac>},
 * where the MAC is an HMAC-SHA256, with the fleet's secret, of the key and everything before
 * it. A record carries no instant: how long it holds is the key's time-to-live on Redis's
 * own clock, less the linger its writer added for the probe. A record copied to another key,
 * altered, or written without the secret does not verify and is no record.
 */
final class FleetRecords {

	static final String OPEN = "open";

	static final String CLOSED = "closed";

	static final String WAIT = "wait";

	private static final String VERSION = "1";

	/** No record the starter writes comes near this; larger values are not parsed. */
	private static final int MAX_BYTES = 512;

	private final KeyHmac mac;

	FleetRecords(KeyHmac mac) {
		this.mac = mac;
	}

	/** The signed record for this key. */
	byte[] write(String key, String kind, String id, long lingerMillis) {
		String body = VERSION + "|" + kind + "|" + id + "|" + lingerMillis;
		return (body + "|" + this.mac.hash(key + "|" + body)).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The record under this key.
	 * @throws InvalidRecordException with a reason (never the value) when it does not verify
	 */
	Record read(String key, byte[] value) {
		if (value.length > MAX_BYTES) {
			throw new InvalidRecordException("a value of " + value.length + " bytes");
		}
		String text = new String(value, StandardCharsets.UTF_8);
		int last = text.lastIndexOf('|');
		if (last < 0) {
			throw new InvalidRecordException("a value that is no fleet record");
		}
		String body = text.substring(0, last);
		byte[] expected = this.mac.hash(key + "|" + body).getBytes(StandardCharsets.UTF_8);
		if (!MessageDigest.isEqual(expected, text.substring(last + 1).getBytes(StandardCharsets.UTF_8))) {
			throw new InvalidRecordException("a fleet record whose MAC does not verify");
		}
		String[] parts = body.split("\\|", -1);
		if (parts.length != 4 || !VERSION.equals(parts[0])
				|| !(OPEN.equals(parts[1]) || CLOSED.equals(parts[1]) || WAIT.equals(parts[1]))) {
			throw new InvalidRecordException("a fleet record of another format");
		}
		try {
			long linger = Long.parseLong(parts[3]);
			if (linger < 0) {
				throw new InvalidRecordException("a fleet record with a negative linger");
			}
			return new Record(parts[1], parts[2], linger);
		}
		catch (NumberFormatException ex) {
			throw new InvalidRecordException("a fleet record of another format");
		}
	}

	/** A verified record: its kind, the id of the word it says, and the linger added to its TTL. */
	record Record(String kind, String id, long lingerMillis) {
	}

	/** A value that is no verified fleet record; the message never holds the value. */
	static final class InvalidRecordException extends RuntimeException {

		InvalidRecordException(String message) {
			super(message, null, false, false);
		}

	}

}

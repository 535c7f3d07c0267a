package io.github.aifallback.chat.fleet;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 with the application's secret: hashes last-good keys before they reach a
 * shared cache (a reader of the cache who can compute a prompt's fingerprint still cannot
 * tell whether that prompt was asked), and signs what is shared (answers, fleet records), so
 * that a writer without the secret cannot forge them. Holds the secret; never prints it.
 *
 * @since 0.1.0
 */
public final class KeyHmac {

	/**
	 * The shortest secret accepted, in bytes.
	 * @since 0.1.0
	 */
	public static final int MIN_SECRET_BYTES = 32;

	private static final String ALGORITHM = "HmacSHA256";

	private final Mac prototype;

	private KeyHmac(byte[] secret) {
		try {
			this.prototype = Mac.getInstance(ALGORITHM);
			this.prototype.init(new SecretKeySpec(secret, ALGORITHM));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is required of every JVM", ex);
		}
	}

	/**
	 * With the configured secret, which must be at least {@value #MIN_SECRET_BYTES} bytes.
	 * @param secret the secret, the same on every instance
	 * @return the signing key
	 * @throws IllegalArgumentException when the secret is too short; the message never
	 * holds the secret
	 * @since 0.1.0
	 */
	public static KeyHmac of(String secret) {
		byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
		if (bytes.length < MIN_SECRET_BYTES) {
			throw new IllegalArgumentException("shorter than " + MIN_SECRET_BYTES + " bytes");
		}
		return new KeyHmac(bytes);
	}

	String hash(String key) {
		return hash(key.getBytes(StandardCharsets.UTF_8));
	}

	/** The HMAC of these bytes, in lower-case hex. */
	String hash(byte[] data) {
		Mac mac;
		try {
			mac = (Mac) this.prototype.clone();
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException("HmacSHA256 cannot be cloned", ex);
		}
		return HexFormat.of().formatHex(mac.doFinal(data));
	}

	@Override
	public String toString() {
		return "KeyHmac[" + ALGORITHM + "]";
	}

}

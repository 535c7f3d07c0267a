package io.github.aifallback.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hashes last-good keys with a secret (HMAC-SHA256) before they reach a shared cache: a
 * reader of the cache who can compute a prompt's fingerprint still cannot tell whether that
 * prompt was asked. Holds the secret; never prints it.
 */
final class KeyHmac {

	static final int MIN_SECRET_BYTES = 32;

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

	/** With the configured secret, which must be at least {@value #MIN_SECRET_BYTES} bytes. */
	static KeyHmac of(String secret) {
		byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
		if (bytes.length < MIN_SECRET_BYTES) {
			throw new IllegalArgumentException("shorter than " + MIN_SECRET_BYTES + " bytes");
		}
		return new KeyHmac(bytes);
	}

	/** With a random secret: keys no other process can compute, so nothing is shared. */
	static KeyHmac random() {
		byte[] secret = new byte[MIN_SECRET_BYTES];
		new SecureRandom().nextBytes(secret);
		return new KeyHmac(secret);
	}

	String hash(String key) {
		Mac mac;
		try {
			mac = (Mac) this.prototype.clone();
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException("HmacSHA256 cannot be cloned", ex);
		}
		return HexFormat.of().formatHex(mac.doFinal(key.getBytes(StandardCharsets.UTF_8)));
	}

	@Override
	public String toString() {
		return "KeyHmac[" + ALGORITHM + "]";
	}

}

package io.github.aifallback.chat.lastgood.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;

/**
 * A SHA-256 over everything in a request that shapes the answer or says whom it is for:
 * every message (system included, with media and tool calls) and every option but the
 * model, in {@link CanonicalOptions canonical form}; not the model, since any entry's
 * answer is a good answer. The prompt itself never leaves this class.
 */
public final class RequestFingerprint {

	private static final MessageDigest PROTOTYPE = sha256();

	private final MessageDigest digest;

	/** The length prefix of one field: up to 10 digits and a colon. */
	private final byte[] prefix = new byte[11];

	private RequestFingerprint() {
		this.digest = copyOfPrototype();
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JVM", ex);
		}
	}

	/** Cloning a digest skips the provider look-up of getInstance on every call. */
	private static MessageDigest copyOfPrototype() {
		try {
			return (MessageDigest) PROTOTYPE.clone();
		}
		catch (CloneNotSupportedException ex) {
			return sha256();
		}
	}

	/**
	 * The request's fingerprint.
	 * @param prompt the request
	 * @return the fingerprint, in hex
	 * @throws CanonicalOptions.NotCanonicalException when an option has no canonical form:
	 * such a request must get no key (fail closed)
	 */
	public static String of(Prompt prompt) {
		RequestFingerprint fingerprint = new RequestFingerprint();
		for (Message message : prompt.getInstructions()) {
			fingerprint.message(message);
		}
		fingerprint.add("options", CanonicalOptions.of(prompt.getOptions()));
		return HexFormat.of().formatHex(fingerprint.digest.digest());
	}

	private void message(Message message) {
		add("message", message.getMessageType().name(), message.getText());
		if (message instanceof UserMessage user) {
			for (Media media : user.getMedia()) {
				Object data = media.getData();
				if (data instanceof byte[] bytes) {
					// Hashed as they are: hex first would double the bytes to hash and copy them.
					add("media-bytes", String.valueOf(media.getMimeType()));
					addBytes(bytes);
				}
				else {
					add("media", String.valueOf(media.getMimeType()), String.valueOf(data));
				}
			}
		}
		if (message instanceof AssistantMessage assistant) {
			for (AssistantMessage.ToolCall call : assistant.getToolCalls()) {
				add("tool-call", call.id(), call.name(), call.arguments());
			}
		}
		if (message instanceof ToolResponseMessage tool) {
			for (ToolResponseMessage.ToolResponse response : tool.getResponses()) {
				add("tool-response", response.id(), response.name(), response.responseData());
			}
		}
	}

	/** Length-prefixed, so that no two different field lists hash the same bytes. */
	private void add(String... fields) {
		for (String field : fields) {
			addBytes(String.valueOf(field).getBytes(StandardCharsets.UTF_8));
		}
	}

	private void addBytes(byte[] bytes) {
		// The same bytes as (length + ":") in ASCII, without a string and an array per field.
		int at = this.prefix.length;
		this.prefix[--at] = ':';
		int length = bytes.length;
		do {
			this.prefix[--at] = (byte) ('0' + (length % 10));
			length /= 10;
		}
		while (length > 0);
		this.digest.update(this.prefix, at, this.prefix.length - at);
		this.digest.update(bytes);
	}

}

package io.github.aifallback.chat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.tool.ToolCallback;

/**
 * A SHA-256 over everything in a request that shapes the answer: every message (system
 * included, with media and tool calls), tool definitions and sampling options; not the
 * model, since any entry's answer is a good answer. The prompt itself never leaves this
 * class.
 */
final class RequestFingerprint {

	private static final MessageDigest PROTOTYPE = sha256();

	private final MessageDigest digest;

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

	static String of(Prompt prompt) {
		RequestFingerprint fingerprint = new RequestFingerprint();
		for (Message message : prompt.getInstructions()) {
			fingerprint.message(message);
		}
		fingerprint.options(prompt.getOptions());
		return HexFormat.of().formatHex(fingerprint.digest.digest());
	}

	private void message(Message message) {
		add("message", message.getMessageType().name(), message.getText());
		if (message instanceof UserMessage user) {
			for (Media media : user.getMedia()) {
				Object data = media.getData();
				add("media", String.valueOf(media.getMimeType()),
						(data instanceof byte[] bytes) ? HexFormat.of().formatHex(bytes) : String.valueOf(data));
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

	/**
	 * Absent options and options that set nothing hash alike, and so do options that differ
	 * only in their model.
	 */
	private void options(ChatOptions options) {
		ChatOptions o = (options != null) ? options : OpenAiChatOptions.builder().build();
		add("sampling", str(o.getTemperature()), str(o.getTopP()), str(o.getTopK()), str(o.getMaxTokens()),
				str(o.getFrequencyPenalty()), str(o.getPresencePenalty()), str(o.getStopSequences()));
		if (o instanceof ToolCallingChatOptions tools && tools.getToolCallbacks() != null) {
			for (ToolCallback callback : tools.getToolCallbacks()) {
				add("tool", callback.getToolDefinition().name(), callback.getToolDefinition().description(),
						callback.getToolDefinition().inputSchema());
			}
		}
		if (o instanceof OpenAiChatOptions openAi) {
			add("openai", str(openAi.getSeed()), str(openAi.getN()), str(openAi.getMaxCompletionTokens()),
					str(openAi.getResponseFormat()), str(openAi.getLogitBias()), str(openAi.getReasoningEffort()),
					str(openAi.getToolChoice()));
		}
	}

	/** Length-prefixed, so that no two different field lists hash the same bytes. */
	private void add(String... fields) {
		for (String field : fields) {
			byte[] bytes = String.valueOf(field).getBytes(StandardCharsets.UTF_8);
			this.digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
			this.digest.update(bytes);
		}
	}

	private static String str(Object value) {
		return String.valueOf(value);
	}

}

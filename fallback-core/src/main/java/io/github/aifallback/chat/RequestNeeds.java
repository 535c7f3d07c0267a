package io.github.aifallback.chat;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.MediaContent;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.util.MimeType;

/**
 * What one request needs of a model: the capabilities it uses and its estimated size.
 * Computed once per call, and only when some entry declares capabilities or a window.
 *
 * @param capabilities what the request uses beyond text
 * @param estimatedTokens the prompt's estimated size (see {@link PromptTokens})
 */
record RequestNeeds(Set<Capability> capabilities, long estimatedTokens) {

	static RequestNeeds of(Prompt prompt) {
		Set<Capability> needs = EnumSet.noneOf(Capability.class);
		ChatOptions options = prompt.getOptions();
		long toolCharacters = 0;
		if (options instanceof ToolCallingChatOptions tools && !isEmpty(tools.getToolCallbacks())) {
			needs.add(Capability.TOOLS);
			toolCharacters = toolCharacters(tools.getToolCallbacks());
		}
		if (options instanceof StructuredOutputChatOptions structured && structured.getOutputSchema() != null) {
			needs.add(Capability.JSON_SCHEMA);
		}
		for (Message message : prompt.getInstructions()) {
			if (message instanceof MediaContent content && content.getMedia() != null && content.getMedia()
				.stream()
				.anyMatch((media) -> isImage(media.getMimeType()))) {
				needs.add(Capability.VISION);
			}
		}
		return new RequestNeeds(needs, PromptTokens.estimate(prompt.getInstructions(), toolCharacters));
	}

	/** The tool definitions the request sends with its messages: they fill the window too. */
	private static long toolCharacters(Collection<ToolCallback> callbacks) {
		long characters = 0;
		for (ToolCallback callback : callbacks) {
			ToolDefinition definition = (callback != null) ? callback.getToolDefinition() : null;
			if (definition != null) {
				characters += length(definition.name()) + length(definition.description())
						+ length(definition.inputSchema());
			}
		}
		return characters;
	}

	private static int length(String text) {
		return (text != null) ? text.length() : 0;
	}

	private static boolean isImage(MimeType type) {
		return type != null && "image".equalsIgnoreCase(type.getType());
	}

	private static boolean isEmpty(Collection<?> values) {
		return values == null || values.isEmpty();
	}

}

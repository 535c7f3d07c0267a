package io.github.aifallback.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.prompt.Prompt;
import io.github.aifallback.chat.failure.FailureKind;

/**
 * Which entries one call skips because they cannot serve its request, and why: a
 * capability the request needs and the entry lacks, an estimated prompt above the entry's
 * window, or a window no larger than that of an entry that already answered
 * {@code context_length_exceeded}. Skipping spends no attempt and no circuit permit. Used
 * by one call, on one thread at a time.
 */
final class EntrySkips {

	private static final Logger logger = LoggerFactory.getLogger(ResilientChatClient.class);

	private final EntryCapabilities declared;

	private final RequestNeeds needs;

	/** The prompt is known to exceed this many tokens (an entry with that window failed). */
	private long tooLongFor;

	private final List<String> skipped = new ArrayList<>(2);

	EntrySkips(EntryCapabilities declared, Prompt prompt) {
		this.declared = declared;
		this.needs = RequestNeeds.of(prompt);
	}

	/** Whether to skip the entry; a skip is logged and listed for the metadata. */
	boolean skip(String entry) {
		String reason = reason(entry);
		if (reason == null) {
			return false;
		}
		this.skipped.add(entry + ": " + reason);
		logger.debug("AI fallback: skipping '{}': {}", entry, reason);
		return true;
	}

	/** Why the entry cannot serve this request, or {@code null} when it may. */
	String reason(String entry) {
		Set<Capability> has = this.declared.capabilities(entry);
		if (has != null && !has.containsAll(this.needs.capabilities())) {
			String lacks = this.needs.capabilities()
				.stream()
				.filter((needed) -> !has.contains(needed))
				.map(EntrySkips::name)
				.collect(Collectors.joining(", "));
			return "the request needs " + lacks + ", which the entry does not declare";
		}
		Integer window = this.declared.window(entry);
		if (window != null && this.needs.estimatedTokens() > window) {
			return "the prompt's estimated " + this.needs.estimatedTokens() + " tokens exceed its context window of "
					+ window;
		}
		if (window != null && window <= this.tooLongFor) {
			return "its context window of " + window + " is no larger than that of an entry that found the prompt "
					+ "too long";
		}
		return null;
	}

	/** After a failure: a context too long for an entry is too long for smaller windows. */
	void failed(String entry, FailureKind kind) {
		Integer window = this.declared.window(entry);
		if (kind == FailureKind.CONTEXT_TOO_LONG && window != null) {
			this.tooLongFor = Math.max(this.tooLongFor, window);
		}
	}

	/** The skipped entries, "name: reason" each, in the order they were skipped. */
	List<String> skipped() {
		return this.skipped;
	}

	private static String name(Capability capability) {
		return capability.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}

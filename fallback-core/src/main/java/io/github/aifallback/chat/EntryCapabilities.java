package io.github.aifallback.chat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The capabilities and context windows the chain's entries declare, by entry name. Built
 * once with the client, and only when some entry declares either: a chain that declares
 * nothing costs its calls nothing.
 */
final class EntryCapabilities {

	private final Map<String, Set<Capability>> capabilities = new HashMap<>();

	private final Map<String, Integer> windows = new HashMap<>();

	private EntryCapabilities() {
	}

	/** The declarations, or {@code null} when no entry declares anything. */
	static EntryCapabilities of(List<ChainEntry> entries) {
		EntryCapabilities declared = new EntryCapabilities();
		for (ChainEntry entry : entries) {
			if (entry.capabilities() != null) {
				declared.capabilities.put(entry.name(), entry.capabilities());
			}
			if (entry.contextWindow() != null) {
				declared.windows.put(entry.name(), entry.contextWindow());
			}
		}
		return (declared.capabilities.isEmpty() && declared.windows.isEmpty()) ? null : declared;
	}

	/** The entry's capabilities, or {@code null} when unknown (assumed able). */
	Set<Capability> capabilities(String entry) {
		return this.capabilities.get(entry);
	}

	/** The entry's context window in tokens, or {@code null} when unknown. */
	Integer window(String entry) {
		return this.windows.get(entry);
	}

}

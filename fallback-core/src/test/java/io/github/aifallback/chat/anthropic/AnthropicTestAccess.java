package io.github.aifallback.chat.anthropic;

/**
 * What the engine's tests, in another package, may read of the Anthropic adapter's
 * internals.
 */
public final class AnthropicTestAccess {

	private AnthropicTestAccess() {
	}

	/** Streaming calls whose connections the adapter still tracks. */
	public static int trackedStreams(AnthropicEntryModel model) {
		return model.trackedStreams();
	}

}

package io.github.aifallback.chat.openai;

/**
 * What the engine's tests, in another package, may read of the OpenAI adapter's internals.
 */
public final class OpenAiTestAccess {

	private OpenAiTestAccess() {
	}

	/** Streaming calls whose connections the adapter still tracks. */
	public static int trackedStreams(OpenAiEntryModel model) {
		return model.trackedStreams();
	}

}

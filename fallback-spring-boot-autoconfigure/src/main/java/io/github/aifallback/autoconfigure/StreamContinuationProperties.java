package io.github.aifallback.autoconfigure;

/**
 * Stream continuation: a stream cut after its first token goes on on the next entry,
 * which is sent the prompt, the partial answer as an assistant message and a user
 * message asking it to continue. Never when a tool call was in flight or only whitespace
 * had come. Unsafe for answers that must be byte-exact, such as JSON: the seam may
 * repeat or drop words.
 *
 * @since 0.1.0
 */
public class StreamContinuationProperties {

	/**
	 * Whether a stream cut after its first token continues on the next entry instead of
	 * ending with StreamInterruptedException.
	 */
	private boolean enabled = false;

	/**
	 * User message that asks the next entry to continue the cut answer.
	 */
	private String instruction = "Continue exactly where your previous answer stopped. Do not repeat anything.";

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getInstruction() {
		return this.instruction;
	}

	public void setInstruction(String instruction) {
		this.instruction = instruction;
	}

}

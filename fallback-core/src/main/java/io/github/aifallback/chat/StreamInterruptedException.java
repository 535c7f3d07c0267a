package io.github.aifallback.chat;

import io.github.aifallback.chat.failure.FailureKind;

/**
 * Ends a stream that failed after its first token reached the subscriber: the answer is
 * incomplete, and no other entry's answer is spliced after it. Says which entry and how
 * much was delivered; never the content.
 *
 * @since 0.1.0
 */
public class StreamInterruptedException extends RuntimeException {

	private final String entry;

	private final int chunksDelivered;

	private final int charactersDelivered;

	private final FailureKind kind;

	/**
	 * Create an exception.
	 * @param entry the entry whose stream failed
	 * @param chunksDelivered chunks the subscriber received
	 * @param charactersDelivered characters of text the subscriber received
	 * @param kind why the stream failed
	 * @param cause the failure
	 */
	public StreamInterruptedException(String entry, int chunksDelivered, int charactersDelivered, FailureKind kind,
			Throwable cause) {
		super("The stream from '" + entry + "' failed (" + kind + ") after " + chunksDelivered + " chunk(s), "
				+ charactersDelivered + " character(s): the answer is incomplete", cause);
		this.entry = entry;
		this.chunksDelivered = chunksDelivered;
		this.charactersDelivered = charactersDelivered;
		this.kind = kind;
	}

	/**
	 * The entry whose stream failed.
	 * @return its name
	 */
	public String getEntry() {
		return this.entry;
	}

	/**
	 * Chunks the subscriber received before the failure.
	 * @return the count
	 */
	public int getChunksDelivered() {
		return this.chunksDelivered;
	}

	/**
	 * Characters of text the subscriber received before the failure.
	 * @return the count
	 */
	public int getCharactersDelivered() {
		return this.charactersDelivered;
	}

	/**
	 * Why the stream failed.
	 * @return the kind
	 */
	public FailureKind getKind() {
		return this.kind;
	}

}

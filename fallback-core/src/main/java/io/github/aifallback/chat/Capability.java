package io.github.aifallback.chat;

/**
 * What a request may need of a model beyond text. A chain entry that declares its
 * capabilities is skipped, without an attempt, for a request that needs one it lacks.
 *
 * @since 0.1.0
 */
public enum Capability {

	/** Tool (function) calling: the request has tool definitions. */
	TOOLS,

	/** Image input: a user message of the request carries an image. */
	VISION,

	/** Structured output: the request sets a JSON schema as its response format. */
	JSON_SCHEMA

}

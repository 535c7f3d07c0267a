package io.github.aifallback.chat;

/**
 * Keys of the metadata that {@link ResilientChatClient} adds to every response.
 *
 * @since 0.1.0
 */
public final class FallbackMetadata {

	/** The name of the chain entry that served the response ({@code String}). */
	public static final String SERVED_BY = "ai.fallback.served-by";

	/**
	 * The failed attempts before the response was served ({@code List<String>}, one
	 * {@link AttemptRecord#describe()} line each; empty when the first attempt served).
	 */
	public static final String FAILED_ATTEMPTS = "ai.fallback.failed-attempts";

	/** Whether the response is a degraded one, not fresh from a model ({@code Boolean}). */
	public static final String DEGRADED = "ai.fallback.degraded";

	/**
	 * How old a degraded answer is ({@code java.time.Duration}); only on degraded
	 * responses.
	 */
	public static final String AGE = "ai.fallback.age";

	/**
	 * The entries skipped without an attempt because they declare they cannot serve the
	 * request ({@code List<String>}, {@code "name: reason"} each); only present when some
	 * entry was skipped.
	 * @since 0.2.0
	 */
	public static final String SKIPPED = "ai.fallback.skipped";

	/**
	 * On the chunks of a stream that continues another entry's cut stream: the name of the
	 * entry whose stream was cut ({@code String}). The chunks before it came from that
	 * entry.
	 * @since 0.2.0
	 */
	public static final String CONTINUED_FROM = "ai.fallback.continued-from";

	/**
	 * Present, {@code true}, when a hedge started during the call: a slow entry's attempt
	 * was raced against the next entry ({@code Boolean}). {@link #SERVED_BY} names the
	 * entry that won.
	 * @since 0.2.0
	 */
	public static final String HEDGED = "ai.fallback.hedged";

	/**
	 * On hedged responses: the entries of the last race, the slow one first, then the hedge
	 * ({@code List<String>}).
	 * @since 0.2.0
	 */
	public static final String HEDGED_ENTRIES = "ai.fallback.hedged-entries";

	/**
	 * Why the model stopped, the same for every vendor ({@link FinishReason}), from the
	 * response's first generation; on a stream, only on the chunk that says it. Absent when
	 * the model gave no finish reason.
	 * @since 0.1.0
	 */
	public static final String FINISH_REASON = "ai.fallback.finish-reason";

	/**
	 * The finish reason as the vendor's model reported it ({@code String}: {@code stop},
	 * {@code end_turn}, {@code MAX_TOKENS}...); present with {@link #FINISH_REASON}.
	 * @since 0.1.0
	 */
	public static final String RAW_FINISH_REASON = "ai.fallback.raw-finish-reason";

	/** The value of {@link #SERVED_BY} on a degraded response. */
	public static final String CACHE = "cache";

	/**
	 * Whether the call was sent in panic mode: every entry's circuit refused it on inferred
	 * evidence, and the chain sent it to the entry most likely to answer anyway. Present
	 * only when true.
	 * @since 0.3.0
	 */
	public static final String PANIC = "ai.fallback.panic";

	private FallbackMetadata() {
	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;

import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import io.github.aifallback.chat.entry.FinishReason;
import io.github.aifallback.chat.failure.FailureKind;

/**
 * The metadata that {@link ResilientChatClient} adds to every response: its keys, and typed
 * accessors over them ({@link #of(ChatResponse)}), so that callers need not read string
 * keys.
 *
 * <pre class="code">
 * FallbackMetadata fallback = FallbackMetadata.of(response);
 * fallback.servedBy();   // "primary", ... or "cache"
 * fallback.degraded();   // true when the answer is a last good one
 * fallback.attempts();   // the failed attempts, each with its entry, kind, status and action
 * </pre>
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

	/**
	 * The failed attempts before the response was served ({@code List<AttemptRecord>}), as
	 * values: the same attempts as {@link #FAILED_ATTEMPTS}, in order.
	 */
	public static final String FAILED_ATTEMPT_RECORDS = "ai.fallback.failed-attempt-records";

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
	 * @since 0.1.0
	 */
	public static final String SKIPPED = "ai.fallback.skipped";

	/**
	 * On the chunks of a stream that continues another entry's cut stream: the name of the
	 * entry whose stream was cut ({@code String}). The chunks before it came from that
	 * entry.
	 * @since 0.1.0
	 */
	public static final String CONTINUED_FROM = "ai.fallback.continued-from";

	/**
	 * Present, {@code true}, when a hedge started during the call: a slow entry's attempt
	 * was raced against the next entry ({@code Boolean}). {@link #SERVED_BY} names the
	 * entry that won.
	 * @since 0.1.0
	 */
	public static final String HEDGED = "ai.fallback.hedged";

	/**
	 * On hedged responses: the entries of the last race, the slow one first, then the hedge
	 * ({@code List<String>}).
	 * @since 0.1.0
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
	 * @since 0.1.0
	 */
	public static final String PANIC = "ai.fallback.panic";

	private static final FallbackMetadata NONE = new FallbackMetadata(null);

	private final ChatResponseMetadata metadata;

	private FallbackMetadata(ChatResponseMetadata metadata) {
		this.metadata = metadata;
	}

	/**
	 * Typed access to the fallback metadata of a response (or of a stream's chunk).
	 * @param response a response of {@link ResilientChatClient}, or any other (then
	 * {@link #present()} is {@code false} and every accessor answers "nothing")
	 * @return the response's fallback metadata, never {@code null}
	 */
	public static FallbackMetadata of(ChatResponse response) {
		return (response != null && response.getMetadata() != null) ? new FallbackMetadata(response.getMetadata())
				: NONE;
	}

	/**
	 * Whether the response went through the chain, that is carries {@link #SERVED_BY}.
	 * @return whether the fallback metadata is present
	 */
	public boolean present() {
		return servedBy() != null;
	}

	/**
	 * The entry that served the response, or {@link #CACHE} for a degraded one.
	 * @return the entry's name, {@code "cache"}, or {@code null} when not from the chain
	 */
	public String servedBy() {
		return value(SERVED_BY, String.class);
	}

	/**
	 * Whether the response is degraded: a last good answer or the fixed message, not fresh
	 * from a model.
	 * @return whether the response is degraded
	 */
	public boolean degraded() {
		return Boolean.TRUE.equals(value(DEGRADED, Boolean.class));
	}

	/**
	 * How old a degraded answer is.
	 * @return its age, or {@code null} when the response is not degraded
	 */
	public Duration age() {
		return value(AGE, Duration.class);
	}

	/**
	 * The failed attempts before the response was served, in order, each with its entry,
	 * attempt number, {@link FailureKind}, HTTP status and what the chain did next.
	 * @return the failed attempts, empty when the first attempt served
	 */
	public List<AttemptRecord> attempts() {
		return list(FAILED_ATTEMPT_RECORDS, AttemptRecord.class);
	}

	/**
	 * The failed attempts as lines for humans ({@link AttemptRecord#describe()}).
	 * @return the descriptions, empty when the first attempt served
	 */
	public List<String> failedAttempts() {
		return list(FAILED_ATTEMPTS, String.class);
	}

	/**
	 * Whether a hedge started during the call.
	 * @return whether the call was hedged
	 */
	public boolean hedged() {
		return Boolean.TRUE.equals(value(HEDGED, Boolean.class));
	}

	/**
	 * The entries of the last hedge race, the slow one first.
	 * @return the raced entries, empty when the call was not hedged
	 */
	public List<String> hedgedEntries() {
		return list(HEDGED_ENTRIES, String.class);
	}

	/**
	 * Whether this chunk continues another entry's cut stream.
	 * @return whether the stream was continued
	 */
	public boolean continued() {
		return continuedFrom() != null;
	}

	/**
	 * The entry whose stream was cut and continued by {@link #servedBy()}.
	 * @return that entry's name, or {@code null} when not continued
	 */
	public String continuedFrom() {
		return value(CONTINUED_FROM, String.class);
	}

	/**
	 * Whether the call was sent in panic mode (every circuit refused it on inferred
	 * evidence, and the chain tried the entry most likely to answer anyway).
	 * @return whether the call was sent in panic mode
	 */
	public boolean panic() {
		return Boolean.TRUE.equals(value(PANIC, Boolean.class));
	}

	/**
	 * The entries skipped without an attempt, {@code "name: reason"} each.
	 * @return the skipped entries, empty when none was skipped
	 */
	public List<String> skipped() {
		return list(SKIPPED, String.class);
	}

	private <T> T value(String key, Class<T> type) {
		Object value = (this.metadata != null) ? this.metadata.get(key) : null;
		return type.isInstance(value) ? type.cast(value) : null;
	}

	private <T> List<T> list(String key, Class<T> type) {
		List<?> values = value(key, List.class);
		if (values == null) {
			return List.of();
		}
		return values.stream().filter(type::isInstance).map(type::cast).toList();
	}

	@Override
	public String toString() {
		return "FallbackMetadata[servedBy=" + servedBy() + ", degraded=" + degraded() + ", attempts="
				+ failedAttempts().size() + ", hedged=" + hedged() + ", continuedFrom=" + continuedFrom() + "]";
	}

}

package io.github.aifallback.chat.failure;

import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.github.aifallback.chat.AllModelsFailedException;
import io.github.aifallback.chat.StreamInterruptedException;


/**
 * Makes what a provider said about a failure fit for logs and exceptions: bounded, with
 * credentials and the request's own text redacted. Pure and static: it holds no state and
 * never throws.
 *
 * <p>
 * {@link #sanitize(Throwable, Failure, Collection, Collection)} turns an attempt's exception
 * into a {@link ProviderErrorException}, the cause to attach to
 * {@link AllModelsFailedException} and {@link StreamInterruptedException} instead of the
 * original (whose message and fields hold the provider's raw body).
 *
 * @since 0.1.0
 */
public final class ErrorSanitizer {

	/** The longest message kept, in characters (about; a marker says when it was cut). */
	public static final int MAX_MESSAGE_LENGTH = 500;

	/** What replaces a redacted value. */
	public static final String REDACTED = "[REDACTED]";

	/** Secrets shorter than this are not searched for: they would redact ordinary words. */
	public static final int MIN_SECRET_LENGTH = 4;

	/** Request texts shorter than this are not searched for, for the same reason. */
	static final int MIN_REQUEST_TEXT_LENGTH = 8;

	/** Text beyond this is never looked at: the input of a redaction is bounded too. */
	static final int MAX_INPUT_LENGTH = 64 * 1024;

	private static final int MAX_SHORT_LENGTH = 100;

	private static final int MAX_CAUSES = 8;

	private static final String CUT = "...(cut)";

	private static final List<Pattern> VALUE_PATTERNS = List.of(
			// OpenAI (sk-, sk-proj-), Anthropic (sk-ant-) and look-alike keys.
			Pattern.compile("\\bsk-[A-Za-z0-9_\\-]{6,}"),
			// Google API keys.
			Pattern.compile("\\bAIza[0-9A-Za-z_\\-]{20,}"),
			// JSON Web Tokens.
			Pattern.compile("\\beyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]*"));

	// A credential's name, a separator, then its value (group 2 is what is kept).
	private static final Pattern NAMED_VALUE = Pattern.compile("(?i)((?:bearer|basic)\\s+"
			+ "|\\b(?:x-)?(?:(?:api[-_ ]?)?key provided|api[-_ ]?key|access[-_]?token|auth[-_]?token|secret|password|authorization|token|key)"
			+ "\"?\\s*[:=]\\s*\"?(?:(?:bearer|basic)\\s+)?)([^\\s\"',;&}\\]]+)");

	private ErrorSanitizer() {
	}

	/**
	 * A sanitised copy of an attempt's exception, to attach as a cause instead of the
	 * original. The copy keeps the failure's kind, status, provider error type and code, the
	 * original's class name and stack trace, and a message (the provider's message when the
	 * failure carries one, else the original's) with every secret, every request text and
	 * anything that looks like a credential redacted, cut to about
	 * {@value #MAX_MESSAGE_LENGTH} characters. The original's causes are copied the same way
	 * (their class names, sanitised messages and stack traces, at most a few levels); its
	 * suppressed exceptions and the original itself are not kept.
	 * @param original what the attempt threw, or {@code null}
	 * @param failure its classification, or {@code null} when unknown (then only the
	 * original's own message, redacted, is kept)
	 * @param secrets values never to show, typically the configured API keys; shorter than
	 * {@value #MIN_SECRET_LENGTH} characters or {@code null} ones are ignored
	 * @param requestTexts the request's own texts (its messages), never to show; shorter than
	 * {@value #MIN_REQUEST_TEXT_LENGTH} characters or {@code null} ones are ignored
	 * @return the sanitised copy, or {@code null} when {@code original} is {@code null}
	 */
	public static ProviderErrorException sanitize(Throwable original, Failure failure, Collection<String> secrets,
			Collection<String> requestTexts) {
		if (original == null) {
			return null;
		}
		try {
			return copy(original, failure, secrets, requestTexts, new IdentityHashMap<>(), 0);
		}
		catch (RuntimeException | StackOverflowError ex) {
			// A toString() or getMessage() of someone else's exception failed: keep only the
			// class name, never the failure path.
			return new ProviderErrorException(failure, original.getClass().getName(), "(message unavailable)", null);
		}
	}

	private static ProviderErrorException copy(Throwable original, Failure failure, Collection<String> secrets,
			Collection<String> requestTexts, Map<Throwable, Boolean> seen, int depth) {
		seen.put(original, Boolean.TRUE);
		String source = (failure != null && failure.message() != null) ? failure.message() : original.getMessage();
		String message = redact(source, secrets, requestTexts);
		Throwable cause = original.getCause();
		ProviderErrorException sanitizedCause = null;
		if (cause != null && depth < MAX_CAUSES && !seen.containsKey(cause)) {
			sanitizedCause = copy(cause, null, secrets, requestTexts, seen, depth + 1);
		}
		Failure clean = (failure != null) ? new Failure(failure.kind(), failure.status(), failure.retryAfter(),
				redact(failure.errorType(), secrets, requestTexts), redact(failure.errorCode(), secrets, requestTexts),
				message) : null;
		ProviderErrorException copy = new ProviderErrorException(clean, original.getClass().getName(), message,
				sanitizedCause);
		copy.setStackTrace(original.getStackTrace());
		return copy;
	}

	/**
	 * Redact and bound a text: every secret, every request text (as is and JSON-escaped),
	 * and anything that looks like a credential ({@code sk-...}, {@code Bearer ...},
	 * {@code api-key: ...}) are replaced by {@value #REDACTED}; the result is cut to about
	 * {@value #MAX_MESSAGE_LENGTH} characters.
	 * @param text the text, or {@code null}
	 * @param secrets values never to show, or {@code null}
	 * @param requestTexts the request's own texts, or {@code null}
	 * @return the redacted, bounded text, or {@code null} when {@code text} is {@code null}
	 */
	public static String redact(String text, Collection<String> secrets, Collection<String> requestTexts) {
		if (text == null) {
			return null;
		}
		String result = (text.length() > MAX_INPUT_LENGTH) ? text.substring(0, MAX_INPUT_LENGTH) : text;
		result = replaceAll(result, secrets, MIN_SECRET_LENGTH);
		result = replaceAll(result, requestTexts, MIN_REQUEST_TEXT_LENGTH);
		return bound(redactCredentials(result), MAX_MESSAGE_LENGTH);
	}

	/**
	 * Redact a provider's error body before anything reads it, as {@link #redact} does a
	 * message, but not cut: the body stays whole JSON, so that its error type and code can
	 * still be classified.
	 * @param body the body, or {@code null}
	 * @param secrets values never to show, or {@code null}
	 * @param requestTexts the request's own texts, or {@code null}
	 * @return the redacted body (at most {@value #MAX_INPUT_LENGTH} characters), or
	 * {@code null} when {@code body} is {@code null}
	 */
	public static String redactBody(String body, Collection<String> secrets, Collection<String> requestTexts) {
		if (body == null) {
			return null;
		}
		String result = (body.length() > MAX_INPUT_LENGTH) ? body.substring(0, MAX_INPUT_LENGTH) : body;
		result = replaceAll(result, secrets, MIN_SECRET_LENGTH);
		result = replaceAll(result, requestTexts, MIN_REQUEST_TEXT_LENGTH);
		return redactCredentials(result);
	}

	/**
	 * Replace what looks like a credential, wherever it comes from; no bound applied.
	 */
	static String redactCredentials(String text) {
		String result = text;
		for (Pattern pattern : VALUE_PATTERNS) {
			result = pattern.matcher(result).replaceAll(REDACTED);
		}
		Matcher named = NAMED_VALUE.matcher(result);
		return named.replaceAll((match) -> Matcher.quoteReplacement(match.group(1) + REDACTED));
	}

	/** A short provider field (an error type or code): credentials redacted, bounded. */
	static String shortField(String value) {
		return (value != null) ? bound(redactCredentials(bound(value, MAX_SHORT_LENGTH * 2)), MAX_SHORT_LENGTH) : null;
	}

	/** A provider message: credentials redacted, bounded. */
	static String message(String value) {
		if (value == null) {
			return null;
		}
		String input = (value.length() > MAX_INPUT_LENGTH) ? value.substring(0, MAX_INPUT_LENGTH) : value;
		return bound(redactCredentials(input), MAX_MESSAGE_LENGTH);
	}

	static String bound(String text, int max) {
		if (text == null || text.length() <= max) {
			return text;
		}
		int end = max;
		if (Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		return text.substring(0, end) + CUT;
	}

	private static String replaceAll(String text, Collection<String> values, int minLength) {
		if (values == null || values.isEmpty()) {
			return text;
		}
		String result = text;
		// Longest first, so that a text containing a shorter one is redacted whole.
		List<String> sorted = values.stream()
			.filter(Objects::nonNull)
			.filter((value) -> value.strip().length() >= minLength)
			.sorted(Comparator.comparingInt(String::length).reversed())
			.toList();
		for (String value : sorted) {
			if (value.length() > result.length()) {
				continue;
			}
			result = result.replace(value, REDACTED);
			String escaped = jsonEscaped(value);
			if (!escaped.equals(value)) {
				result = result.replace(escaped, REDACTED);
			}
		}
		return result;
	}

	private static String jsonEscaped(String value) {
		StringBuilder escaped = new StringBuilder(value.length() + 16);
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> escaped.append("\\\"");
				case '\\' -> escaped.append("\\\\");
				case '\n' -> escaped.append("\\n");
				case '\r' -> escaped.append("\\r");
				case '\t' -> escaped.append("\\t");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

}

package io.github.aifallback.test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.FallbackMetadata;

import org.springframework.ai.chat.model.ChatResponse;

/**
 * One failed attempt as a response's {@link FallbackMetadata#FAILED_ATTEMPTS} reports it.
 *
 * @param entry the entry's name
 * @param attempt the attempt's number on that entry, from 1
 * @param kind why it failed
 * @param status the HTTP status, or {@code 0} when no response arrived
 * @since 0.1.0
 */
public record FailedAttempt(String entry, int attempt, FailureKind kind, int status) {

	/** {@code AttemptRecord#describe()}: {@code primary attempt 1/3: SERVER_ERROR (HTTP 500) after 12 ms, then RETRY}. */
	private static final Pattern LINE = Pattern.compile("^(.+) attempt (\\d+)/\\d+: ([A-Z_]+)(?: \\(HTTP (\\d+)\\))?.*$");

	/**
	 * The failed attempts of a response, in order.
	 * @param response the response
	 * @return its failed attempts, empty when the first attempt served
	 */
	public static List<FailedAttempt> of(ChatResponse response) {
		Object lines = response.getMetadata().get(FallbackMetadata.FAILED_ATTEMPTS);
		List<FailedAttempt> attempts = new ArrayList<>();
		if (lines instanceof List<?> list) {
			for (Object line : list) {
				Matcher matcher = LINE.matcher(String.valueOf(line));
				if (!matcher.matches()) {
					throw new IllegalStateException("Unexpected failed attempt line: " + line);
				}
				attempts.add(new FailedAttempt(matcher.group(1), Integer.parseInt(matcher.group(2)),
						FailureKind.valueOf(matcher.group(3)),
						(matcher.group(4) != null) ? Integer.parseInt(matcher.group(4)) : 0));
			}
		}
		return attempts;
	}

}

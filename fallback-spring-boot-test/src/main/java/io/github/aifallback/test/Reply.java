package io.github.aifallback.test;

import java.time.Duration;

/**
 * What the simulator does with one request: the behaviour, the HTTP status of a failure,
 * a {@code Retry-After}, how many tokens a cut stream sends, and a delay before answering.
 */
record Reply(Kind kind, int status, Duration retryAfter, int tokens, Duration delay, String text) {

	enum Kind {

		ANSWER, STATUS, QUOTA, HANG, CUT, REFUSE

	}

	static Reply answer(String text, Duration delay) {
		return new Reply(Kind.ANSWER, 200, null, 0, delay, text);
	}

}

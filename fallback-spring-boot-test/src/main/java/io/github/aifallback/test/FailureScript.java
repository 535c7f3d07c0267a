package io.github.aifallback.test;

import java.time.Duration;
import java.util.Objects;

/**
 * How the scripted calls of one entry fail; by default with a 500. Each method chooses the
 * failure and returns this script, so that {@code failNext(3).withStatus(429).retryAfter(..)}
 * reads as one sentence.
 *
 * @since 0.1.0
 */
public final class FailureScript {

	private final EntryScript entry;

	private Reply.Kind kind = Reply.Kind.STATUS;

	private int status = 500;

	private Duration retryAfter;

	private int tokens;

	/** Calls left to fail, or {@code -1} for every call. */
	private int remaining;

	FailureScript(EntryScript entry, int calls) {
		this.entry = entry;
		this.remaining = calls;
	}

	/**
	 * Answer with this HTTP status and the vendor's error body for it (429: rate limit,
	 * 401/403: authentication, 404: model not found, other 4xx: invalid request, 5xx and
	 * 529: server error).
	 * @param status the status, 400 to 599
	 * @return this script
	 */
	public FailureScript withStatus(int status) {
		if (status < 400 || status > 599) {
			throw new IllegalArgumentException("A failure's status is 400 to 599, not " + status);
		}
		return set(Reply.Kind.STATUS, status);
	}

	/** @return this script, failing with 429 and a rate-limit error */
	public FailureScript rateLimited() {
		return withStatus(429);
	}

	/** @return this script, failing with 500 and a server error */
	public FailureScript serverError() {
		return withStatus(500);
	}

	/**
	 * A quota or credit exhausted: OpenAI's 429 {@code insufficient_quota}, Anthropic's 400
	 * "credit balance is too low".
	 * @return this script
	 */
	public FailureScript quotaExhausted() {
		return set(Reply.Kind.QUOTA, 429);
	}

	/** @return this script, failing with 401 and an invalid-key error */
	public FailureScript authFailure() {
		return withStatus(401);
	}

	/**
	 * Never answer: the entry's attempt timeout (real time) ends the attempt, so give the
	 * entry a short {@code timeout} in the test.
	 * @return this script
	 */
	public FailureScript hang() {
		return set(Reply.Kind.HANG, 0);
	}

	/**
	 * Stream {@code tokens} tokens, then end the stream with no finish reason, as a cut
	 * connection does; a blocking call gets a body cut in the middle.
	 * @param tokens the tokens sent first, 0 or more
	 * @return this script
	 */
	public FailureScript cutStreamAfter(int tokens) {
		if (tokens < 0) {
			throw new IllegalArgumentException("tokens must not be negative");
		}
		set(Reply.Kind.CUT, 200);
		synchronized (this.entry) {
			this.tokens = tokens;
		}
		return this;
	}

	/**
	 * Answer 200 with a refusal: OpenAI's {@code refusal}, Anthropic's {@code refusal} stop
	 * reason.
	 * @return this script
	 */
	public FailureScript refuse() {
		return set(Reply.Kind.REFUSE, 200);
	}

	/**
	 * Send a {@code Retry-After} (whole seconds, rounded up) and a {@code retry-after-ms}
	 * with the failure.
	 * @param retryAfter the wait the provider asks for
	 * @return this script
	 */
	public FailureScript retryAfter(Duration retryAfter) {
		Objects.requireNonNull(retryAfter, "retryAfter");
		synchronized (this.entry) {
			this.retryAfter = retryAfter;
		}
		return this;
	}

	/**
	 * Back to the entry's script, e.g. to queue more failures after these.
	 * @return the entry's script
	 */
	public EntryScript then() {
		return this.entry;
	}

	private FailureScript set(Reply.Kind kind, int status) {
		synchronized (this.entry) {
			this.kind = kind;
			this.status = status;
		}
		return this;
	}

	/** Called under the entry's lock: this script's reply, and whether it has calls left after it. */
	Reply take() {
		if (this.remaining > 0) {
			this.remaining--;
		}
		return new Reply(this.kind, this.status, this.retryAfter, this.tokens, Duration.ZERO, null);
	}

	boolean exhausted() {
		return this.remaining == 0;
	}

}

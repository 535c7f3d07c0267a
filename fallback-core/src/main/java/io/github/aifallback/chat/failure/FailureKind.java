package io.github.aifallback.chat.failure;

import io.github.aifallback.chat.ResponseValidator;

/**
 * Why an attempt failed, in one vocabulary whatever the provider.
 *
 * @since 0.1.0
 */
public enum FailureKind {

	/** HTTP 429 that is not about quota: the provider asks us to slow down. */
	RATE_LIMITED(FailureAction.RETRY),

	/** HTTP 429 with {@code insufficient_quota} or a similar code: waiting will not help. */
	QUOTA_EXHAUSTED(FailureAction.FALL_BACK),

	/** HTTP 5xx (529 included). */
	SERVER_ERROR(FailureAction.RETRY),

	/** The attempt timed out. */
	TIMEOUT(FailureAction.RETRY),

	/** Connection refused or reset, unknown host, a body cut short. */
	CONNECTION(FailureAction.RETRY),

	/**
	 * An answer we cannot use: unparseable body, no choices, empty content, or one a
	 * {@link ResponseValidator} rejected.
	 */
	INVALID_RESPONSE(FailureAction.FALL_BACK),

	/** HTTP 400 {@code context_length_exceeded} (or 413): this model cannot take the prompt. */
	CONTEXT_TOO_LONG(FailureAction.FALL_BACK),

	/** HTTP 401 or 403: the key is wrong or lacks access to this model. */
	AUTH(FailureAction.FALL_BACK),

	/** HTTP 404: the model or the path does not exist at this provider. */
	MODEL_NOT_FOUND(FailureAction.FALL_BACK),

	/** Any other 4xx (400, 422...), or a failure nobody classified. */
	BAD_REQUEST(FailureAction.FALL_BACK),

	/**
	 * An HTTP 200 whose answer is a refusal (the message's {@code refusal}, finish reason
	 * {@code content_filter}, Anthropic's {@code refusal} stop reason). Says nothing about
	 * the model's health: never opens a circuit.
	 * @since 0.1.0
	 */
	REFUSED(FailureAction.FALL_BACK);

	private final FailureAction defaultAction;

	FailureKind(FailureAction defaultAction) {
		this.defaultAction = defaultAction;
	}

	/**
	 * The action taken for this kind unless the policy overrides it.
	 * @return the default action
	 */
	public FailureAction defaultAction() {
		return this.defaultAction;
	}

}

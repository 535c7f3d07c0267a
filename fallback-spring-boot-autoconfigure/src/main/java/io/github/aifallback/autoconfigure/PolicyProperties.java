package io.github.aifallback.autoconfigure;

import io.github.aifallback.chat.failure.FailureAction;

/**
 * Action (retry, fall-back or stop) per kind of failure.
 *
 * @since 0.1.0
 */
public class PolicyProperties {

	/**
	 * Action after HTTP 429 that is not about quota.
	 */
	private FailureAction rateLimited = FailureAction.RETRY;

	/**
	 * Action after HTTP 429 insufficient_quota and similar codes.
	 */
	private FailureAction quotaExhausted = FailureAction.FALL_BACK;

	/**
	 * Action after HTTP 5xx (529 included).
	 */
	private FailureAction serverError = FailureAction.RETRY;

	/**
	 * Action after an attempt timed out.
	 */
	private FailureAction timeout = FailureAction.RETRY;

	/**
	 * Action after a refused, reset or broken connection.
	 */
	private FailureAction connection = FailureAction.RETRY;

	/**
	 * Action after an unusable answer (unparseable body, no choices, empty content).
	 */
	private FailureAction invalidResponse = FailureAction.FALL_BACK;

	/**
	 * Action after HTTP 400 context_length_exceeded (or 413).
	 */
	private FailureAction contextTooLong = FailureAction.FALL_BACK;

	/**
	 * Action after HTTP 401 or 403.
	 */
	private FailureAction auth = FailureAction.FALL_BACK;

	/**
	 * Action after HTTP 404.
	 */
	private FailureAction modelNotFound = FailureAction.FALL_BACK;

	/**
	 * Action after any other HTTP 400 or 422.
	 */
	private FailureAction badRequest = FailureAction.FALL_BACK;

	/**
	 * Action after an HTTP 200 whose answer is a refusal (the message's refusal set,
	 * finish reason content_filter, or Anthropic's refusal stop reason). Never opens a
	 * circuit.
	 */
	private FailureAction refused = FailureAction.FALL_BACK;

	public FailureAction getRefused() {
		return this.refused;
	}

	public void setRefused(FailureAction refused) {
		this.refused = refused;
	}

	public FailureAction getRateLimited() {
		return this.rateLimited;
	}

	public void setRateLimited(FailureAction rateLimited) {
		this.rateLimited = rateLimited;
	}

	public FailureAction getQuotaExhausted() {
		return this.quotaExhausted;
	}

	public void setQuotaExhausted(FailureAction quotaExhausted) {
		this.quotaExhausted = quotaExhausted;
	}

	public FailureAction getServerError() {
		return this.serverError;
	}

	public void setServerError(FailureAction serverError) {
		this.serverError = serverError;
	}

	public FailureAction getTimeout() {
		return this.timeout;
	}

	public void setTimeout(FailureAction timeout) {
		this.timeout = timeout;
	}

	public FailureAction getConnection() {
		return this.connection;
	}

	public void setConnection(FailureAction connection) {
		this.connection = connection;
	}

	public FailureAction getInvalidResponse() {
		return this.invalidResponse;
	}

	public void setInvalidResponse(FailureAction invalidResponse) {
		this.invalidResponse = invalidResponse;
	}

	public FailureAction getContextTooLong() {
		return this.contextTooLong;
	}

	public void setContextTooLong(FailureAction contextTooLong) {
		this.contextTooLong = contextTooLong;
	}

	public FailureAction getAuth() {
		return this.auth;
	}

	public void setAuth(FailureAction auth) {
		this.auth = auth;
	}

	public FailureAction getModelNotFound() {
		return this.modelNotFound;
	}

	public void setModelNotFound(FailureAction modelNotFound) {
		this.modelNotFound = modelNotFound;
	}

	public FailureAction getBadRequest() {
		return this.badRequest;
	}

	public void setBadRequest(FailureAction badRequest) {
		this.badRequest = badRequest;
	}

}

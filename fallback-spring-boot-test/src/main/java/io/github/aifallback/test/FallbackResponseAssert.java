package io.github.aifallback.test;

import java.util.Arrays;
import java.util.List;

import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.FallbackMetadata;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;

import org.springframework.ai.chat.model.ChatResponse;

/**
 * Assertions on what the chain did for one response, read from its {@link FallbackMetadata}.
 *
 * @since 0.1.0
 */
public class FallbackResponseAssert extends AbstractAssert<FallbackResponseAssert, ChatResponse> {

	FallbackResponseAssert(ChatResponse actual) {
		super(actual, FallbackResponseAssert.class);
	}

	/**
	 * The entry that served the response (or {@link FallbackMetadata#CACHE} for a degraded
	 * one).
	 * @param entry the entry's name
	 * @return this
	 */
	public FallbackResponseAssert isServedBy(String entry) {
		isNotNull();
		Object servedBy = this.actual.getMetadata().get(FallbackMetadata.SERVED_BY);
		if (!entry.equals(servedBy)) {
			failWithMessage("Expected the response to be served by <%s> but it was served by <%s>; failed attempts: %s",
					entry, servedBy, FailedAttempt.of(this.actual));
		}
		return this;
	}

	/** @return this, when the response is the last good answer, not fresh from a model */
	public FallbackResponseAssert isDegraded() {
		return flag(FallbackMetadata.DEGRADED, true, "degraded");
	}

	/** @return this, when the response is fresh from a model */
	public FallbackResponseAssert isNotDegraded() {
		return flag(FallbackMetadata.DEGRADED, false, "degraded");
	}

	/** @return this, when a hedge raced a slow entry during the call */
	public FallbackResponseAssert isHedged() {
		return flag(FallbackMetadata.HEDGED, true, "hedged");
	}

	/** @return this, when no hedge started during the call */
	public FallbackResponseAssert isNotHedged() {
		return flag(FallbackMetadata.HEDGED, false, "hedged");
	}

	/** @return this, when the first attempt served */
	public FallbackResponseAssert hasNoFailedAttempts() {
		return hasFailedAttemptKinds();
	}

	/**
	 * The kinds of the failed attempts before the response, in order.
	 * @param kinds the kinds, one per failed attempt
	 * @return this
	 */
	public FallbackResponseAssert hasFailedAttemptKinds(FailureKind... kinds) {
		isNotNull();
		Assertions.assertThat(failedAttempts().stream().map(FailedAttempt::kind).toList())
			.as("kinds of the failed attempts")
			.containsExactlyElementsOf(Arrays.asList(kinds));
		return this;
	}

	/**
	 * The entries of the failed attempts before the response, one per attempt, in order.
	 * @param entries the entries' names
	 * @return this
	 */
	public FallbackResponseAssert hasFailedAttemptsOn(String... entries) {
		isNotNull();
		Assertions.assertThat(failedAttempts().stream().map(FailedAttempt::entry).toList())
			.as("entries of the failed attempts")
			.containsExactly(entries);
		return this;
	}

	/**
	 * The failed attempts before the response, for assertions of one's own.
	 * @return the attempts, in order
	 */
	public List<FailedAttempt> failedAttempts() {
		return FailedAttempt.of(this.actual);
	}

	private FallbackResponseAssert flag(String key, boolean expected, String what) {
		isNotNull();
		boolean value = Boolean.TRUE.equals(this.actual.getMetadata().get(key));
		if (value != expected) {
			failWithMessage("Expected the response %sto be %s (served by <%s>)", expected ? "" : "not ", what,
					this.actual.getMetadata().get(FallbackMetadata.SERVED_BY));
		}
		return this;
	}

}

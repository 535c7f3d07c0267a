package io.github.aifallback.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * One call through the chain: its deadline, its attempts so far, and the decision after
 * each failure. Used once, by one thread.
 */
final class ChainCall {

	private static final Logger logger = LoggerFactory.getLogger(ResilientChatClient.class);

	private final ResilientChatClient client;

	private final Prompt prompt;

	private final long startMillis;

	private final List<AttemptRecord> attempts = new ArrayList<>();

	private String key;

	private boolean keyResolved;

	ChainCall(ResilientChatClient client, Prompt prompt) {
		this.client = client;
		this.prompt = prompt;
		this.startMillis = client.clock.millis();
	}

	ChatResponse run() {
		List<ChainEntry> entries = this.client.entries;
		String reason = "every entry failed";
		Throwable lastCause = null;
		for (int i = 0; i < entries.size(); i++) {
			if (this.attempts.size() >= this.client.retry.maxTotalAttempts()) {
				reason = "max-total-attempts of " + this.client.retry.maxTotalAttempts() + " reached";
				break;
			}
			if (timeLeft().isZero()) {
				reason = "deadline of " + this.client.deadline.toMillis() + " ms passed";
				break;
			}
			ChainEntry entry = entries.get(i);
			String next = (i + 1 < entries.size()) ? entries.get(i + 1).name() : null;
			try {
				ChatResponse response = this.client.retryRunner.run((n) -> attempt(entry, n, next));
				return served(response, entry);
			}
			catch (FailedAttempt failed) {
				lastCause = failed.getCause();
				if (failed.action() == FailureAction.STOP) {
					throw new AllModelsFailedException("stopped by policy", this.attempts, lastCause);
				}
			}
		}
		ChatResponse degraded = degraded(reason);
		if (degraded != null) {
			return degraded;
		}
		throw new AllModelsFailedException(reason, this.attempts, lastCause);
	}

	/** The last good answer to this request, or the fixed message, marked degraded. */
	private ChatResponse degraded(String reason) {
		LastGoodStore store = this.client.lastGoodStore;
		LastGoodAnswer answer = (store != null && key() != null) ? store.get(key()) : null;
		ChatResponse response;
		Duration age;
		if (answer != null) {
			response = answer.toResponse();
			age = Duration.between(answer.storedAt(), this.client.clock.instant());
			logger.warn("AI fallback: every entry failed ({}); serving the last good answer of '{}', {} s old",
					reason, answer.servedBy(), age.toSeconds());
		}
		else if (this.client.degradedMessage != null) {
			response = new ChatResponse(List.of(new Generation(new AssistantMessage(this.client.degradedMessage))));
			age = Duration.ZERO;
			logger.warn("AI fallback: every entry failed ({}); serving the fixed degraded message", reason);
		}
		else {
			return null;
		}
		this.client.publish(new DegradedResponseEvent(FallbackMetadata.CACHE, age, answer == null,
				this.attempts.size(), this.client.clock.instant()));
		return ChatResponse.builder()
			.from(response)
			.metadata(FallbackMetadata.SERVED_BY, FallbackMetadata.CACHE)
			.metadata(FallbackMetadata.FAILED_ATTEMPTS, failedAttempts())
			.metadata(FallbackMetadata.DEGRADED, Boolean.TRUE)
			.metadata(FallbackMetadata.AGE, age)
			.build();
	}

	/** The request's last-good key, computed at most once, and only when a store needs it. */
	private String key() {
		if (!this.keyResolved) {
			this.keyResolved = true;
			this.key = this.client.keyResolver.resolve(this.prompt, RequestFingerprint.of(this.prompt));
		}
		return this.key;
	}

	private ChatResponse attempt(ChainEntry entry, int attempt, String next) {
		int maxAttempts = (entry.maxAttempts() != null) ? entry.maxAttempts() : this.client.retry.maxAttempts();
		Duration entryTimeout = (entry.timeout() != null) ? entry.timeout() : this.client.timeout;
		Duration timeout = min(entryTimeout, timeLeft());
		long started = this.client.clock.millis();
		try {
			return validated(entry.entryModel().call(this.prompt, timeout));
		}
		catch (RuntimeException ex) {
			Duration took = Duration.ofMillis(this.client.clock.millis() - started);
			Failure failure = this.client.classifier.classify(ex);
			Decision decision = decide(failure, attempt, maxAttempts, next);
			this.attempts.add(new AttemptRecord(entry.name(), attempt, maxAttempts, failure.kind(), failure.status(),
					took, decision.action()));
			logger.warn("AI fallback: attempt {}/{} on '{}' failed: {}{} after {} ms; {}", attempt, maxAttempts,
					entry.name(), failure.kind(), (failure.status() != 0) ? " (HTTP " + failure.status() + ")" : "",
					took.toMillis(), decision.description());
			this.client.publish(new AttemptFailedEvent(entry.name(), attempt, maxAttempts, failure, took,
					decision.action(), this.client.clock.instant()));
			throw new FailedAttempt(decision.action(), decision.waitBeforeRetry(), ex);
		}
	}

	/** Called before the failed attempt is added to {@link #attempts}. */
	private Decision decide(Failure failure, int attempt, int maxAttempts, String next) {
		FailureAction action = this.client.policy.actionFor(failure.kind());
		if (action == FailureAction.STOP) {
			return new Decision(FailureAction.STOP, Duration.ZERO, "stopping: policy for " + failure.kind() + " is stop");
		}
		if (action == FailureAction.FALL_BACK) {
			return fallBack(next, null);
		}
		if (attempt >= maxAttempts) {
			return fallBack(next, "attempts on this entry spent");
		}
		if (this.attempts.size() + 1 >= this.client.retry.maxTotalAttempts()) {
			return fallBack(null, "max-total-attempts reached");
		}
		RetrySettings retry = this.client.retry;
		Duration wait = jittered(retry.intervalBefore(attempt));
		Duration retryAfter = failure.retryAfter();
		if (retry.honorRetryAfter() && retryAfter != null) {
			if (retryAfter.compareTo(retry.maxInterval()) > 0) {
				return fallBack(next, "Retry-After of " + retryAfter.toMillis() + " ms exceeds max-interval");
			}
			wait = (retryAfter.compareTo(wait) > 0) ? retryAfter : wait;
		}
		if (wait.compareTo(timeLeft()) >= 0) {
			return fallBack(next, "a wait of " + wait.toMillis() + " ms does not fit the deadline");
		}
		return new Decision(FailureAction.RETRY, wait, "retrying in " + wait.toMillis() + " ms");
	}

	private static Decision fallBack(String next, String why) {
		String where = (next != null) ? "falling back to '" + next + "'" : "no entry left";
		return new Decision(FailureAction.FALL_BACK, Duration.ZERO, (why != null) ? where + " (" + why + ")" : where);
	}

	private Duration jittered(Duration interval) {
		if (!this.client.retry.jitter() || interval.isZero()) {
			return interval;
		}
		long half = interval.toMillis() / 2;
		return Duration.ofMillis(half + (long) (this.client.random.getAsDouble() * (interval.toMillis() - half)));
	}

	private static ChatResponse validated(ChatResponse response) {
		if (response == null || response.getResults().isEmpty()) {
			throw new InvalidResponseException("The response has no choices");
		}
		for (Generation generation : response.getResults()) {
			AssistantMessage output = generation.getOutput();
			String text = output.getText();
			if ((text == null || text.isBlank()) && !output.hasToolCalls()) {
				throw new InvalidResponseException("The response has empty content");
			}
		}
		return response;
	}

	private ChatResponse served(ChatResponse response, ChainEntry entry) {
		LastGoodStore store = this.client.lastGoodStore;
		if (store != null && LastGoodAnswer.isStorable(response) && key() != null) {
			store.put(key(), LastGoodAnswer.of(response, entry.name(), this.client.clock.instant()));
		}
		return ChatResponse.builder()
			.from(response)
			.metadata(FallbackMetadata.SERVED_BY, entry.name())
			.metadata(FallbackMetadata.FAILED_ATTEMPTS, failedAttempts())
			.metadata(FallbackMetadata.DEGRADED, Boolean.FALSE)
			.build();
	}

	private List<String> failedAttempts() {
		return this.attempts.stream().map(AttemptRecord::describe).toList();
	}

	private Duration timeLeft() {
		long left = this.client.deadline.toMillis() - (this.client.clock.millis() - this.startMillis);
		return Duration.ofMillis(Math.max(0, left));
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private record Decision(FailureAction action, Duration waitBeforeRetry, String description) {
	}

}

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
 * One call through the chain: its deadline, its attempts so far, the circuits it passes,
 * and the answer it returns. Used once, by one thread.
 */
final class ChainCall {

	private static final Logger logger = LoggerFactory.getLogger(ResilientChatClient.class);

	private final ResilientChatClient client;

	private final Prompt prompt;

	private final long startMillis;

	private final List<AttemptRecord> attempts = new ArrayList<>();

	private final LastGoodAnswers lastGood;

	ChainCall(ResilientChatClient client, Prompt prompt) {
		this.client = client;
		this.prompt = prompt;
		this.startMillis = client.clock.millis();
		this.lastGood = new LastGoodAnswers(client, prompt);
	}

	ChatResponse run() {
		List<ChainEntry> entries = this.client.entries;
		// When every circuit is open, still try each entry once, in order, rather than refuse.
		boolean everyCircuitOpen = entries.stream().noneMatch((e) -> this.client.circuitBreaker(e.name()).isAvailable());
		String reason = everyCircuitOpen ? "every circuit is open" : "every entry failed";
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
			CircuitBreaker breaker = this.client.circuitBreaker(entry.name());
			if (everyCircuitOpen ? breaker.state() == CircuitState.FORCED_OPEN : !breaker.tryAcquire()) {
				logger.debug("AI fallback: skipping '{}', its circuit is {}", entry.name(), breaker.state());
				continue;
			}
			int maxAttempts = everyCircuitOpen ? 1 : maxAttempts(entry);
			String next = (i + 1 < entries.size()) ? entries.get(i + 1).name() : null;
			try {
				ChatResponse response = this.client.retryRunner
					.run((n) -> attempt(entry, breaker, n, maxAttempts, next));
				return served(response, entry);
			}
			catch (FailedAttempt failed) {
				lastCause = failed.getCause();
				if (failed.action() == FailureAction.STOP) {
					completed(CallCompletedEvent.NONE, CallCompletedEvent.Outcome.FAILED);
					throw new AllModelsFailedException("stopped by policy", this.attempts, lastCause);
				}
			}
		}
		LastGoodAnswers.Degraded degraded = this.lastGood.find(reason);
		if (degraded != null) {
			return degraded(degraded);
		}
		completed(CallCompletedEvent.NONE, CallCompletedEvent.Outcome.FAILED);
		throw new AllModelsFailedException(reason, this.attempts, lastCause);
	}

	private ChatResponse attempt(ChainEntry entry, CircuitBreaker breaker, int attempt, int maxAttempts, String next) {
		Duration entryTimeout = (entry.timeout() != null) ? entry.timeout() : this.client.timeout;
		Duration timeout = min(entryTimeout, timeLeft());
		long started = this.client.clock.millis();
		try {
			ChatResponse response = validated(entry.entryModel().call(this.prompt, timeout));
			breaker.recordSuccess();
			this.client.publish(new AttemptSucceededEvent(entry.name(), attempt,
					Duration.ofMillis(this.client.clock.millis() - started), this.client.clock.instant()));
			return response;
		}
		catch (RuntimeException ex) {
			Duration took = Duration.ofMillis(this.client.clock.millis() - started);
			Failure failure = this.client.classifier.classify(ex);
			breaker.recordFailure(failure);
			RetryDecision decision = RetryDecision.decide(this.client, failure, attempt, maxAttempts,
					this.attempts.size() + 1, timeLeft(), breaker.state() == CircuitState.CLOSED, next);
			this.attempts.add(new AttemptRecord(entry.name(), attempt, maxAttempts, failure.kind(), failure.status(),
					took, decision.action()));
			logger.warn("AI fallback: attempt {}/{} on '{}' failed: {}{} after {} ms; {}", attempt, maxAttempts,
					entry.name(), failure.kind(), (failure.status() != 0) ? " (HTTP " + failure.status() + ")" : "",
					took.toMillis(), decision.description());
			this.client.publish(new AttemptFailedEvent(entry.name(), attempt, maxAttempts, failure, took,
					decision.action(), this.client.clock.instant()));
			if (decision.action() == FailureAction.FALL_BACK && next != null) {
				this.client.publish(new FellBackEvent(entry.name(), next, failure.kind(), this.client.clock.instant()));
			}
			throw new FailedAttempt(decision.action(), decision.waitBeforeRetry(), ex);
		}
	}

	private int maxAttempts(ChainEntry entry) {
		return (entry.maxAttempts() != null) ? entry.maxAttempts() : this.client.retry.maxAttempts();
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
		this.lastGood.remember(response, entry.name());
		completed(entry.name(), CallCompletedEvent.Outcome.SERVED);
		return ChatResponse.builder()
			.from(response)
			.metadata(FallbackMetadata.SERVED_BY, entry.name())
			.metadata(FallbackMetadata.FAILED_ATTEMPTS, failedAttempts())
			.metadata(FallbackMetadata.DEGRADED, Boolean.FALSE)
			.build();
	}

	private ChatResponse degraded(LastGoodAnswers.Degraded degraded) {
		this.client.publish(new DegradedResponseEvent(FallbackMetadata.CACHE, degraded.age(), degraded.fixedMessage(),
				this.attempts.size(), this.client.clock.instant()));
		completed(FallbackMetadata.CACHE, CallCompletedEvent.Outcome.DEGRADED);
		return ChatResponse.builder()
			.from(degraded.response())
			.metadata(FallbackMetadata.SERVED_BY, FallbackMetadata.CACHE)
			.metadata(FallbackMetadata.FAILED_ATTEMPTS, failedAttempts())
			.metadata(FallbackMetadata.DEGRADED, Boolean.TRUE)
			.metadata(FallbackMetadata.AGE, degraded.age())
			.build();
	}

	private void completed(String entry, CallCompletedEvent.Outcome outcome) {
		this.client.publish(new CallCompletedEvent(entry, outcome, this.attempts.size() + ((outcome
				== CallCompletedEvent.Outcome.SERVED) ? 1 : 0),
				Duration.ofMillis(this.client.clock.millis() - this.startMillis), this.client.clock.instant()));
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

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * What one call through the chain knows and records, whether it blocks or streams: its
 * deadline and budget, its failed attempts (each logged once, recorded on the entry's
 * circuit and published), and the metadata of what it finally returns.
 */
final class CallContext {

	private static final Logger logger = LoggerFactory.getLogger(ResilientChatClient.class);

	final ResilientChatClient client;

	final Prompt prompt;

	private final long startMillis;

	private final List<AttemptRecord> attempts = new ArrayList<>();

	private final LastGoodAnswers lastGood;

	private final boolean everyCircuitOpen;

	CallContext(ResilientChatClient client, Prompt prompt) {
		this.client = client;
		this.prompt = prompt;
		this.startMillis = client.clock.millis();
		this.lastGood = new LastGoodAnswers(client, prompt);
		this.everyCircuitOpen = client.entries.stream()
			.noneMatch((e) -> client.circuitBreaker(e.name()).isAvailable());
	}

	/** Why no further attempt may start, or {@code null} when one may. */
	String exhausted() {
		if (this.attempts.size() >= this.client.retry.maxTotalAttempts()) {
			return "max-total-attempts of " + this.client.retry.maxTotalAttempts() + " reached";
		}
		if (timeLeft().isZero()) {
			return "deadline of " + this.client.deadline.toMillis() + " ms passed";
		}
		return null;
	}

	/** Why the chain is exhausted when its loop ends without a budget or deadline reason. */
	String initialReason() {
		return this.everyCircuitOpen ? "every circuit is open" : "every entry failed";
	}

	/**
	 * Whether the call may go to this entry now, taking its probe permit if the circuit is
	 * half-open. When every circuit was open as the call began, every entry but a forced-open
	 * one is tried once, in order, rather than refusing service.
	 */
	boolean admits(ChainEntry entry, CircuitBreaker breaker) {
		boolean admitted = this.everyCircuitOpen ? breaker.state() != CircuitState.FORCED_OPEN : breaker.tryAcquire();
		if (!admitted) {
			logger.debug("AI fallback: skipping '{}', its circuit is {}", entry.name(), breaker.state());
		}
		return admitted;
	}

	/**
	 * The entry a fallback from entry {@code index} would reach: the next one that would be
	 * admitted now, or {@code null}. Only names it, for the log line and the event.
	 */
	String nextAfter(int index) {
		List<ChainEntry> entries = this.client.entries;
		for (int i = index + 1; i < entries.size(); i++) {
			CircuitBreaker breaker = this.client.circuitBreaker(entries.get(i).name());
			if (this.everyCircuitOpen ? breaker.state() != CircuitState.FORCED_OPEN : breaker.isAvailable()) {
				return entries.get(i).name();
			}
		}
		return null;
	}

	/** The entry's attempts: once each when every circuit was open. */
	int maxAttempts(ChainEntry entry) {
		if (this.everyCircuitOpen) {
			return 1;
		}
		return (entry.maxAttempts() != null) ? entry.maxAttempts() : this.client.retry.maxAttempts();
	}

	/**
	 * Before a retry: when other calls opened the entry's circuit during this call's backoff,
	 * the failure that leaves the entry now; otherwise {@code null}.
	 */
	FailedAttempt circuitOpenedWhileWaiting(ChainEntry entry, CircuitBreaker breaker, int attempt) {
		if (attempt == 1 || breaker.state() == CircuitState.CLOSED) {
			return null;
		}
		logger.debug("AI fallback: not retrying '{}', its circuit opened meanwhile", entry.name());
		return new FailedAttempt(FailureAction.FALL_BACK, Duration.ZERO, null);
	}

	long now() {
		return this.client.clock.millis();
	}

	Duration since(long startedMillis) {
		return Duration.ofMillis(now() - startedMillis);
	}

	Duration timeLeft() {
		long left = this.client.deadline.toMillis() - (now() - this.startMillis);
		return Duration.ofMillis(Math.max(0, left));
	}

	/** Record a failed attempt and decide what follows; the caller throws the result. */
	FailedAttempt failed(ChainEntry entry, CircuitBreaker breaker, int attempt, int maxAttempts, String next,
			Throwable ex, Duration took) {
		Failure failure = this.client.classifier.classify(ex);
		breaker.recordFailure(failure);
		RetryDecision decision = RetryDecision.decide(this.client, failure, attempt, maxAttempts,
				this.attempts.size() + 1, timeLeft(), breaker.state() == CircuitState.CLOSED, next);
		this.attempts.add(new AttemptRecord(entry.name(), attempt, maxAttempts, failure.kind(), failure.status(), took,
				decision.action()));
		logger.warn("AI fallback: attempt {}/{} on '{}' failed: {}{} after {} ms; {}", attempt, maxAttempts,
				entry.name(), failure.kind(), status(failure), took.toMillis(), decision.description());
		this.client.publish(new AttemptFailedEvent(entry.name(), attempt, maxAttempts, failure, took,
				decision.action(), this.client.clock.instant()));
		if (decision.action() == FailureAction.FALL_BACK && next != null) {
			this.client.publish(new FellBackEvent(entry.name(), next, failure.kind(), this.client.clock.instant()));
		}
		return new FailedAttempt(decision.action(), decision.waitBeforeRetry(), ex);
	}

	/** Record a stream that failed after its first token: no retry, no fallback. */
	StreamInterruptedException interrupted(ChainEntry entry, CircuitBreaker breaker, int attempt, int maxAttempts,
			Throwable ex, Duration took, int chunks, int characters) {
		Failure failure = this.client.classifier.classify(ex);
		breaker.recordFailure(failure);
		this.attempts.add(new AttemptRecord(entry.name(), attempt, maxAttempts, failure.kind(), failure.status(), took,
				FailureAction.STOP));
		logger.warn("AI fallback: stream from '{}' failed: {}{} after {} chunk(s), {} ms; ending it, incomplete",
				entry.name(), failure.kind(), status(failure), chunks, took.toMillis());
		this.client.publish(new AttemptFailedEvent(entry.name(), attempt, maxAttempts, failure, took,
				FailureAction.STOP, this.client.clock.instant()));
		completed(entry.name(), CallCompletedEvent.Outcome.FAILED);
		return new StreamInterruptedException(entry.name(), chunks, characters, failure.kind(),
				ErrorSanitizer.sanitize(ex, failure, List.of(), requestTexts()));
	}

	void succeeded(ChainEntry entry, CircuitBreaker breaker, int attempt, Duration took) {
		breaker.recordSuccess();
		this.client.publish(new AttemptSucceededEvent(entry.name(), attempt, took, this.client.clock.instant()));
	}

	/** A fresh answer: remembered as the last good one, reported, and marked. */
	ChatResponse served(ChatResponse response, ChainEntry entry) {
		this.lastGood.remember(response, entry.name());
		completed(entry.name(), CallCompletedEvent.Outcome.SERVED);
		return mark(response, entry.name());
	}

	ChatResponse mark(ChatResponse response, String servedBy) {
		return ChatResponse.builder()
			.from(response)
			.metadata(FallbackMetadata.SERVED_BY, servedBy)
			.metadata(FallbackMetadata.FAILED_ATTEMPTS, this.attempts.stream().map(AttemptRecord::describe).toList())
			.metadata(FallbackMetadata.DEGRADED, Boolean.FALSE)
			.build();
	}

	/** The chain is exhausted: the degraded answer, or {@code null} when there is none. */
	ChatResponse degraded(String reason) {
		LastGoodAnswers.Degraded degraded = this.lastGood.find(reason);
		if (degraded == null) {
			return null;
		}
		this.client.publish(new DegradedResponseEvent(FallbackMetadata.CACHE, degraded.age(), degraded.fixedMessage(),
				this.attempts.size(), this.client.clock.instant()));
		completed(FallbackMetadata.CACHE, CallCompletedEvent.Outcome.DEGRADED);
		return ChatResponse.builder()
			.from(mark(degraded.response(), FallbackMetadata.CACHE))
			.metadata(FallbackMetadata.DEGRADED, Boolean.TRUE)
			.metadata(FallbackMetadata.AGE, degraded.age())
			.build();
	}

	AllModelsFailedException allFailed(String reason, Throwable lastCause) {
		completed(CallCompletedEvent.NONE, CallCompletedEvent.Outcome.FAILED);
		return new AllModelsFailedException(reason, this.attempts,
				ErrorSanitizer.sanitize(lastCause, null, List.of(), requestTexts()));
	}

	/** The request's own texts, never to appear in an exception (keys: BoundedErrorBodies). */
	private List<String> requestTexts() {
		return this.prompt.getInstructions().stream().map(Message::getText).toList();
	}

	private void completed(String entry, CallCompletedEvent.Outcome outcome) {
		int made = this.attempts.size() + ((outcome == CallCompletedEvent.Outcome.SERVED) ? 1 : 0);
		this.client.publish(new CallCompletedEvent(entry, outcome, made, since(this.startMillis),
				this.client.clock.instant()));
	}

	private static String status(Failure failure) {
		return (failure.status() != 0) ? " (HTTP " + failure.status() + ")" : "";
	}

}

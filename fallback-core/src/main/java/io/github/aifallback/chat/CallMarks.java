package io.github.aifallback.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.github.aifallback.chat.event.CallCompletedEvent;
import io.github.aifallback.chat.entry.FinishReason;
import io.github.aifallback.chat.event.DegradedResponseEvent;
import io.github.aifallback.chat.failure.ErrorSanitizer;
import io.github.aifallback.chat.failure.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * How one call ends and what it says: the attempts it recorded, the metadata of what it
 * returns (served by, failed attempts, skipped, panic, degraded), the last good answer it
 * keeps or serves, and its one {@link CallCompletedEvent}, reported exactly once whatever
 * path ends the call. One of the jobs of a call (see {@link CallContext}).
 */
final class CallMarks {

	private static final Logger logger = LoggerFactory.getLogger(ResilientChatClient.class);

	/** The failed attempts, in order; recorded by {@link AttemptRecording}. */
	final List<AttemptRecord> attempts = new ArrayList<>();

	/** Whether the call was sent in panic mode. */
	boolean panicked;

	/** The last failure classified, for the exception that ends the call. */
	Failure lastFailure;

	private final ChainRuntime runtime;

	private final Prompt prompt;

	private final CallObservation observation;

	private final CallBudget budget;

	private final LastGoodAnswers lastGood;

	/** Every entry the call skipped, "name: reason" each. */
	private final Supplier<List<String>> skipped;

	private List<String> requestTexts;

	private boolean completed;

	CallMarks(ChainRuntime runtime, Prompt prompt, CallObservation observation, CallBudget budget,
			LastGoodAnswers lastGood, Supplier<List<String>> skipped) {
		this.runtime = runtime;
		this.prompt = prompt;
		this.observation = observation;
		this.budget = budget;
		this.lastGood = lastGood;
		this.skipped = skipped;
	}

	/** A continued stream ends without a whole answer: the cut's exception ends the call. */
	StreamInterruptedException endCut(StreamInterruptedException cut) {
		completed(cut.getEntry(), CallCompletedEvent.Outcome.FAILED);
		return cut;
	}

	/**
	 * A continued stream completed: reported, but not remembered as the last good answer,
	 * since it is stitched from two entries' answers.
	 */
	void servedContinued(ResolvedEntry entry, String continuedFrom) {
		logger.debug("AI fallback: stream cut on '{}' completed on '{}'", continuedFrom, entry.name());
		completed(entry.name(), CallCompletedEvent.Outcome.SERVED);
	}

	/** A fresh answer: remembered as the last good one, reported, and marked. */
	ChatResponse served(ChatResponse response, ResolvedEntry entry) {
		this.lastGood.remember(response, entry.name(), this.budget.elapsed());
		TokenUsage.publish(this.runtime, response, entry.name());
		completed(entry.name(), CallCompletedEvent.Outcome.SERVED);
		return mark(response, entry.name());
	}

	ChatResponse mark(ChatResponse response, String servedBy) {
		ChatResponse.Builder marked = ChatResponse.builder()
			.from(response)
			.metadata(FallbackMetadata.SERVED_BY, servedBy)
			.metadata(FallbackMetadata.FAILED_ATTEMPTS, failedAttempts())
			.metadata(FallbackMetadata.FAILED_ATTEMPT_RECORDS, List.copyOf(this.attempts))
			.metadata(FallbackMetadata.DEGRADED, Boolean.FALSE);
		markFinishReason(marked, response);
		List<String> skipped = this.skipped.get();
		if (!skipped.isEmpty()) {
			marked.metadata(FallbackMetadata.SKIPPED, List.copyOf(skipped));
		}
		if (this.panicked) {
			marked.metadata(FallbackMetadata.PANIC, Boolean.TRUE);
		}
		return marked.build();
	}

	private List<String> failedAttempts() {
		if (this.attempts.isEmpty()) {
			return List.of();
		}
		List<String> described = new ArrayList<>(this.attempts.size());
		for (AttemptRecord attempt : this.attempts) {
			described.add(attempt.describe());
		}
		return List.copyOf(described);
	}

	/** The chain is exhausted: the degraded answer, or {@code null} when there is none. */
	ChatResponse degraded(String reason) {
		LastGoodAnswers.Degraded degraded = this.lastGood.find(reason, this.budget.timeLeft());
		return (degraded != null) ? serveDegraded(degraded) : null;
	}

	/**
	 * As {@link #degraded(String)}, for a stream: the cache is read without blocking the
	 * Reactor thread the chain ran out on. Empty when there is no degraded answer.
	 */
	Mono<ChatResponse> degradedAsync(String reason) {
		return this.lastGood.findAsync(reason, this.budget.timeLeft()).map(this::serveDegraded);
	}

	private ChatResponse serveDegraded(LastGoodAnswers.Degraded degraded) {
		this.runtime.publish(new DegradedResponseEvent(FallbackMetadata.CACHE, degraded.age(), degraded.fixedMessage(),
				this.attempts.size(), this.runtime.clock.instant()));
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
				ErrorSanitizer.sanitize(lastCause, this.lastFailure, this.runtime.secrets, requestTexts()));
	}

	/**
	 * The caller's thread was interrupted while waiting to retry: the call ends now, with the
	 * interruption itself as the cause (it holds nothing of a provider's).
	 */
	AllModelsFailedException interruptedWhileWaiting(String entry, Throwable interruption) {
		completed(CallCompletedEvent.NONE, CallCompletedEvent.Outcome.FAILED);
		return new AllModelsFailedException("interrupted while waiting to retry '" + entry + "'", this.attempts,
				interruption);
	}

	/** The request's own texts, never to appear in an exception or an event. */
	List<String> requestTexts() {
		if (this.requestTexts == null) {
			this.requestTexts = this.prompt.getInstructions().stream().map(Message::getText).toList();
		}
		return this.requestTexts;
	}

	void completed(String entry, CallCompletedEvent.Outcome outcome) {
		if (this.completed) {
			// Decided once: a second end of the same call is a defect, never a second event.
			logger.debug("AI fallback: the call has ended already; not reporting it {} too", outcome);
			return;
		}
		this.completed = true;
		int made = this.attempts.size() + ((outcome == CallCompletedEvent.Outcome.SERVED) ? 1 : 0);
		this.observation.completed(outcome, entry, made);
		this.runtime.publish(new CallCompletedEvent(entry, outcome, made, this.budget.elapsed(),
				this.runtime.clock.instant()));
	}

	/** Adds both finish-reason keys of the response's first generation, when it has one. */
	private static void markFinishReason(ChatResponse.Builder marked, ChatResponse response) {
		Generation first = (response.getResults().isEmpty()) ? null : response.getResults().get(0);
		FinishReason reason = FinishReason.of(first);
		if (reason != null) {
			marked.metadata(FallbackMetadata.FINISH_REASON, reason);
			marked.metadata(FallbackMetadata.RAW_FINISH_REASON, FinishReason.raw(first));
		}
	}

}

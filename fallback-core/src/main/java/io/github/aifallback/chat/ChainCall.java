package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;

import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.InvalidResponseException;
import io.github.aifallback.chat.failure.LocalOverloadException;
import io.micrometer.observation.Observation;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * One blocking call through the chain: entries in order, skipping open circuits, each
 * retried through spring-retry as the failures decide. Used once, by one thread.
 */
final class ChainCall {

	private final CallContext call;

	/** The last hedged attempt that started a hedge, or {@code null}: most calls have none. */
	private HedgedAttempt hedged;

	ChainCall(ChainRuntime runtime, Prompt prompt) {
		// On the caller's thread: the key resolver may read thread-locals (a tenant).
		this.call = new CallContext(runtime, prompt, LastGoodAnswers.resolveKey(runtime, prompt), false, null);
	}

	ChatResponse run() {
		try {
			return runChain();
		}
		finally {
			this.call.observation.stop();
		}
	}

	private ChatResponse runChain() {
		ChainRuntime runtime = this.call.runtime;
		List<ResolvedEntry> entries = runtime.chain;
		// Decided when the loop ends: only then is it known whether any entry was admitted.
		String reason = null;
		Throwable lastCause = null;
		for (int i = 0; i < entries.size(); i++) {
			String exhausted = this.call.exhausted();
			if (exhausted != null) {
				reason = exhausted;
				break;
			}
			ResolvedEntry entry = entries.get(i);
			if (this.call.skips(entry)) {
				continue;
			}
			long permit = this.call.admits(entry);
			if (permit == CircuitBreaker.DENIED) {
				continue;
			}
			int maxAttempts = entry.maxAttempts();
			String next = this.call.nextAfter(i);
			try {
				ChatResponse response = runtime.retryRunner
					.run((n) -> attempt(entry, permit, n, maxAttempts, next));
				if (this.hedged != null) {
					ResolvedEntry winner = this.hedged.hedgeWon();
					return this.hedged.marked(this.call.marks.served(response, (winner != null) ? winner : entry));
				}
				return this.call.marks.served(response, entry);
			}
			catch (FailedAttempt failed) {
				lastCause = (failed.getCause() != null) ? failed.getCause() : lastCause;
				if (failed.action() == FailureAction.STOP) {
					throw this.call.marks.allFailed("stopped by policy", lastCause);
				}
			}
			catch (SpringRetryRunner.InterruptedWaitException interrupted) {
				// The caller's thread was interrupted while waiting to retry: it wants this
				// call to end now, so no other entry and no degraded answer.
				throw this.call.marks.interruptedWhileWaiting(entry.name(), interrupted.getCause());
			}
		}
		reason = (reason != null) ? reason : this.call.initialReason();
		ChatResponse degraded = this.call.marks.degraded(reason);
		if (degraded != null) {
			return degraded;
		}
		CallContext.PanicAttempt panic = this.call.panic();
		if (panic != null) {
			try {
				ResolvedEntry entry = panic.entry();
				return this.call.marks.served(runtime.retryRunner.run((n) -> attempt(entry, panic.permit(), n, 1, null)),
						entry);
			}
			catch (FailedAttempt failed) {
				lastCause = (failed.getCause() != null) ? failed.getCause() : lastCause;
				reason = this.call.lastResortFailed(panic.entry());
			}
			catch (SpringRetryRunner.InterruptedWaitException interrupted) {
				throw this.call.marks.interruptedWhileWaiting(panic.entry().name(), interrupted.getCause());
			}
		}
		throw this.call.marks.allFailed(reason, lastCause);
	}

	private ChatResponse attempt(ResolvedEntry entry, long admitted, int attempt, int maxAttempts,
			String next) {
		// A race marks only the answer it produced: not a later retry's, nor a fallback's.
		this.hedged = null;
		FailedAttempt cannotRetry = this.call.cannotRetry(entry, attempt);
		if (cannotRetry != null) {
			throw cannotRetry;
		}
		Attempt made = new Attempt(this.call, entry, this.call.permitFor(entry, admitted, attempt), attempt,
				maxAttempts, next);
		// Time queued here is ours, not the provider's: it is spent before the attempt starts.
		ConcurrencyLimit limit = entry.concurrencyLimit();
		if (limit != null && !limit.enter(this.call.timeLeft())) {
			throw made.overloaded("concurrency limit of " + limit.limit() + " reached");
		}
		ChatResponse response;
		try {
			Duration timeout = made.timeout();
			Observation observed = this.call.observation.attemptStarted(entry, attempt, maxAttempts);
			made.start();
			try {
				response = (entry.hedge() == null) ? validated(callEntry(entry, timeout, observed))
						: hedged(made, timeout, observed);
			}
			catch (FailedAttempt recorded) {
				throw recorded;
			}
			catch (LocalOverloadException busy) {
				// Our overload (the entry's own threads are all busy), not the provider's failure.
				this.call.observation.attemptAbandoned();
				throw made.overloaded(String.valueOf(busy.getMessage()));
			}
			catch (Throwable ex) {
				if (Fatal.isFatal(ex)) {
					made.abandon();
					throw ex;
				}
				throw made.failed(ex, made.took());
			}
		}
		finally {
			if (limit != null) {
				limit.exit();
			}
		}
		if (this.hedged != null && this.hedged.hedgeWon() != null) {
			return response;
		}
		made.succeeded(made.took());
		return response;
	}

	/**
	 * An attempt of a hedged entry: raced against the next entry when it is slow (see
	 * {@link HedgedAttempt}). A hedge that won has its success recorded already.
	 */
	private ChatResponse hedged(Attempt made, Duration timeout, Observation observed) {
		HedgedAttempt race = new HedgedAttempt(this.call, made, observed);
		try {
			// Validated on this thread, after the race: the validator may read the caller's thread-locals.
			return race.run(this::callEntry, this::validated, timeout);
		}
		finally {
			if (race.hedge() != null) {
				this.hedged = race;
			}
		}
	}

	/**
	 * The entry's model runs on this thread with the attempt's observation current, so that
	 * the observations it makes (Spring AI's {@code gen_ai.client.operation}) are children.
	 */
	private ChatResponse callEntry(ResolvedEntry entry, Duration timeout, Observation observed) {
		if (observed == null) {
			return entry.entryModel().call(this.call.prompt, timeout);
		}
		try (Observation.Scope scope = observed.openScope()) {
			return entry.entryModel().call(this.call.prompt, timeout);
		}
	}

	private ChatResponse validated(ChatResponse response) {
		// A refusal first: it often comes with empty content, and is not a broken answer.
		Refusals.check(response);
		if (response == null || response.getResults().isEmpty()) {
			throw new InvalidResponseException("The response has no choices");
		}
		for (Generation generation : response.getResults()) {
			if (!hasContent(generation.getOutput())) {
				throw new InvalidResponseException("The response has empty content");
			}
		}
		ResponseValidation.check(this.call.runtime.responseValidator, this.call.prompt, response);
		return response;
	}

	private static boolean hasContent(AssistantMessage output) {
		String text = output.getText();
		return (text != null && !text.isBlank()) || output.hasToolCalls();
	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import io.github.aifallback.chat.failure.InvalidResponseException;

/**
 * The blocking transport of a call: carries out {@link CallPlan}'s steps on the caller's
 * thread, each attempt a blocking call of its entry's model, a hedged one raced by
 * {@link HedgedAttempt}, retries through spring-retry ({@link SpringRetryRunner}), a
 * failure thrown. Used once, by one thread.
 */
final class ChainCall implements CallPlan.Transport<ChatResponse> {

	private final CallContext call;

	private final CallPlan plan;

	ChainCall(ChainRuntime runtime, Prompt prompt) {
		// On the caller's thread: the key resolver may read thread-locals (a tenant).
		this.call = new CallContext(runtime, prompt, LastGoodAnswers.resolveKey(runtime, prompt), false, null);
		this.plan = new CallPlan(this.call);
	}

	ChatResponse run() {
		AtomicInteger running = this.call.runtime.callsRunning;
		running.incrementAndGet();
		try {
			return this.plan.run(this);
		}
		finally {
			running.decrementAndGet();
			this.call.observation.stop();
		}
	}

	@Override
	public ChatResponse send(Attempt made) {
		return attempt(made, null);
	}

	@Override
	public ChatResponse race(HedgeRace race) {
		return attempt(race.primary, race);
	}

	private ChatResponse attempt(Attempt made, HedgeRace race) {
		ResolvedEntry entry = made.entry;
		// Time queued here is ours, not the provider's: it is spent before the attempt starts.
		ConcurrencyLimit limit = entry.concurrencyLimit();
		if (limit != null && !limit.enter(this.call.timeLeft())) {
			throw made.overloaded("concurrency limit of " + limit.limit() + " reached");
		}
		ChatResponse response;
		boolean hedgeWon = false;
		try {
			Duration timeout = made.timeout();
			Observation observed = this.call.observation.attemptStarted(entry, made.number, made.maxAttempts);
			made.start();
			if (race == null) {
				response = validated(callEntry(entry, timeout, observed));
			}
			else {
				HedgedAttempt hedged = new HedgedAttempt(race, observed);
				// Validated on this thread, after the race: the validator may read the caller's thread-locals.
				response = hedged.run(this::callEntry, this::validated, timeout);
				hedgeWon = hedged.hedgeWon();
			}
		}
		catch (Throwable ex) {
			throw made.ended(ex);
		}
		finally {
			if (limit != null) {
				limit.exit();
			}
		}
		if (hedgeWon) {
			// Its success is recorded already.
			return race.marked(this.plan.served(race.hedge().entry, response));
		}
		made.succeeded(made.took());
		ChatResponse served = this.plan.served(entry, response);
		return (race != null) ? race.marked(served) : served;
	}

	@Override
	public ChatResponse retrying(ResolvedEntry entry, IntFunction<ChatResponse> attempt) {
		try {
			return this.call.runtime.retryRunner.run(attempt);
		}
		catch (SpringRetryRunner.InterruptedWaitException interrupted) {
			// The caller's thread was interrupted while waiting to retry: it wants this call to
			// end now, so no other entry and no degraded answer.
			throw this.call.marks.interruptedWhileWaiting(entry.name(), interrupted.getCause());
		}
	}

	@Override
	public ChatResponse recover(Supplier<ChatResponse> step, Function<FailedAttempt, ChatResponse> then) {
		try {
			return step.get();
		}
		catch (FailedAttempt failed) {
			return then.apply(failed);
		}
	}

	@Override
	public ChatResponse defer(Supplier<ChatResponse> step) {
		return step.get();
	}

	@Override
	public ChatResponse fail(RuntimeException ex) {
		throw ex;
	}

	@Override
	public ChatResponse degradedOr(String reason, Supplier<ChatResponse> otherwise) {
		ChatResponse degraded = this.call.marks.degraded(reason);
		return (degraded != null) ? degraded : otherwise.get();
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

package io.github.aifallback.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

import io.github.aifallback.chat.EntryModel;
import io.github.aifallback.chat.FailureClassifier;
import io.github.aifallback.chat.deployment.RateLimitState;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * An entry of one endpoint that reads its provider's rate-limit headers
 * ({@code ai.fallback.rate-limit.skip-entries=true}) and tells the chain when nothing is
 * left, so that the chain skips it as it skips an open circuit: no request, no failure.
 */
final class RateLimitedEntryModel implements EntryModel {

	private final EntryModel delegate;

	private final RateLimitState rateLimits;

	RateLimitedEntryModel(EntryModel delegate, RateLimitState rateLimits) {
		this.delegate = delegate;
		this.rateLimits = rateLimits;
	}

	@Override
	public Instant unavailableUntil() {
		long until = this.rateLimits.limitedUntilMillis();
		return (until < 0) ? null : Instant.ofEpochMilli(until);
	}

	@Override
	public ChatResponse call(Prompt prompt, Duration timeout) {
		return this.delegate.call(prompt, timeout);
	}

	@Override
	public Flux<ChatResponse> stream(Prompt prompt, Duration timeLeft) {
		return this.delegate.stream(prompt, timeLeft);
	}

	@Override
	public Collection<String> secrets() {
		return this.delegate.secrets();
	}

	@Override
	public FailureClassifier classifier() {
		return this.delegate.classifier();
	}

	@Override
	public String toString() {
		return this.delegate.toString();
	}

}

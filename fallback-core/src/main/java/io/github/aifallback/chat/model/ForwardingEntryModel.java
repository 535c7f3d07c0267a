package io.github.aifallback.chat.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.failure.FailureClassifier;
import io.github.aifallback.chat.event.FallbackEventListener;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * An entry model that hands everything to another: what a decorator does not change (its
 * secrets, classifier, availability, name) must reach the chain unchanged, or a wrapped
 * entry would, say, stop saying when its rate limit is spent.
 */
abstract class ForwardingEntryModel implements EntryModel {

	private final EntryModel delegate;

	ForwardingEntryModel(EntryModel delegate) {
		this.delegate = delegate;
	}

	protected final EntryModel delegate() {
		return this.delegate;
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
	public boolean reportsFinishReason() {
		return this.delegate.reportsFinishReason();
	}

	@Override
	public Collection<String> secrets() {
		return this.delegate.secrets();
	}

	@Override
	public Instant unavailableUntil() {
		return this.delegate.unavailableUntil();
	}

	@Override
	public Runnable publishTo(FallbackEventListener listener) {
		return this.delegate.publishTo(listener);
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

package io.github.aifallback.chat.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.failure.FailureClassifier;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A decorator of an entry changes only what it says it changes: the chain still reads the
 * wrapped model's secrets, classifier and availability through it.
 */
class ForwardingEntryModelTests {

	private static final Instant LIMITED_UNTIL = Instant.parse("2026-11-25T10:00:00Z");

	private final FailureClassifier classifier = (ex) -> Failure.of(FailureKind.SERVER_ERROR);

	private final EntryModel inner = new EntryModel() {

		@Override
		public ChatResponse call(Prompt prompt, Duration timeout) {
			return null;
		}

		@Override
		public Collection<String> secrets() {
			return List.of("inner-secret");
		}

		@Override
		public Instant unavailableUntil() {
			return LIMITED_UNTIL;
		}

		@Override
		public boolean reportsFinishReason() {
			return false;
		}

		@Override
		public FailureClassifier classifier() {
			return ForwardingEntryModelTests.this.classifier;
		}

		@Override
		public String toString() {
			return "inner";
		}

	};

	@Test
	void whenAnEntryIsDecoratedThenItsSecretsClassifierAndAvailabilityStillReachTheChain() {
		EntryModel decorated = new ForwardingEntryModel(this.inner) {
		};

		assertThat(decorated.secrets()).containsExactly("inner-secret");
		assertThat(decorated.unavailableUntil()).isEqualTo(LIMITED_UNTIL);
		assertThat(decorated.classifier()).isSameAs(this.classifier);
		assertThat(decorated.reportsFinishReason()).isFalse();
		assertThat(decorated).hasToString("inner");
	}

	@Test
	void whenTheWrappedStreamThrowsThenEntryDefaultOptionsSignalsIt() {
		EntryModel throwing = new EntryModel() {

			@Override
			public ChatResponse call(Prompt prompt, Duration timeout) {
				return null;
			}

			@Override
			public reactor.core.publisher.Flux<ChatResponse> stream(Prompt prompt, Duration timeLeft) {
				throw new IllegalStateException("thrown, not signalled");
			}

		};
		EntryModel decorated = EntryDefaultOptions.wrap(throwing, 0.2, null, null);

		reactor.test.StepVerifier.create(decorated.stream(new Prompt("hi"), Duration.ofSeconds(1)))
			.expectErrorMessage("thrown, not signalled")
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void whenEntryDefaultOptionsWrapsAnEntryThenItForwardsWhatItDoesNotChange() {
		assertThat(ForwardingEntryModel.class).isAssignableFrom(EntryDefaultOptions.class)
			.isAssignableFrom(RateLimitedEntryModel.class);
	}

}

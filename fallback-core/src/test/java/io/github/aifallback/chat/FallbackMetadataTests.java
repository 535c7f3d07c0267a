package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The typed view of a response's fallback metadata, read from responses the chain built.
 */
class FallbackMetadataTests {

	private volatile boolean primaryUp;

	private volatile boolean secondaryUp = true;

	private ResilientChatClient client() {
		EntryModel primary = (prompt, timeout) -> answerOr(this.primaryUp, "primary", 500);
		EntryModel secondary = (prompt, timeout) -> answerOr(this.secondaryUp, "secondary", 401);
		return ResilientChatClient.builder()
			.entries(List.of(ChainEntry.of("primary", "p", primary), ChainEntry.of("secondary", "s", secondary)))
			.retry(RetrySettings.custom()
				.maxAttempts(2)
				.initialInterval(Duration.ofMillis(10))
				.multiplier(1.0)
				.maxInterval(Duration.ofMillis(10))
				.jitter(false)
				.build())
			.sleeper((wait) -> {
			})
			.classifier((ex) -> new Failure(((StatusFailure) ex).status == 500 ? FailureKind.SERVER_ERROR
					: FailureKind.AUTH, ((StatusFailure) ex).status, null))
			.lastGoodStore(LastGoodLogicTests.direct(new RecordingLastGoodStore()))
			.build();
	}

	private static ChatResponse answerOr(boolean up, String text, int status) {
		if (!up) {
			throw new StatusFailure(status);
		}
		return new ChatResponse(List.of(new Generation(new AssistantMessage(text))));
	}

	@Test
	void whenTheFallbackServesThenTheTypedViewListsTheFailedAttemptsWithTheirKinds() {
		FallbackMetadata fallback = FallbackMetadata.of(client().call(new Prompt("hi")));

		assertThat(fallback.present()).isTrue();
		assertThat(fallback.servedBy()).isEqualTo("secondary");
		assertThat(fallback.degraded()).isFalse();
		assertThat(fallback.age()).isNull();
		assertThat(fallback.attempts()).extracting(AttemptRecord::entry, AttemptRecord::attempt, AttemptRecord::kind,
				AttemptRecord::status, AttemptRecord::action)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("primary", 1, FailureKind.SERVER_ERROR, 500,
					FailureAction.RETRY),
					org.assertj.core.groups.Tuple.tuple("primary", 2, FailureKind.SERVER_ERROR, 500,
							FailureAction.FALL_BACK));
		assertThat(fallback.failedAttempts()).containsExactlyElementsOf(
				fallback.attempts().stream().map(AttemptRecord::describe).toList());
		assertThat(fallback.hedged()).isFalse();
		assertThat(fallback.hedgedEntries()).isEmpty();
		assertThat(fallback.continued()).isFalse();
		assertThat(fallback.skipped()).isEmpty();
	}

	@Test
	void whenEveryEntryFailsThenTheTypedViewSaysDegradedWithItsAgeAndTheAttempts() {
		ResilientChatClient client = client();
		client.call(new Prompt("hi"));
		this.secondaryUp = false;

		FallbackMetadata fallback = FallbackMetadata.of(client.call(new Prompt("hi")));

		assertThat(fallback.servedBy()).isEqualTo(FallbackMetadata.CACHE);
		assertThat(fallback.degraded()).isTrue();
		assertThat(fallback.age()).isNotNull().isGreaterThanOrEqualTo(Duration.ZERO);
		assertThat(fallback.attempts()).extracting(AttemptRecord::kind)
			.containsExactly(FailureKind.SERVER_ERROR, FailureKind.SERVER_ERROR, FailureKind.AUTH);
	}

	@Test
	void whenTheResponseCarriesHedgeAndContinuationKeysThenTheTypedViewReadsThem() {
		ChatResponse response = ChatResponse.builder()
			.generations(List.of(new Generation(new AssistantMessage("x"))))
			.metadata(ChatResponseMetadata.builder()
				.keyValue(FallbackMetadata.SERVED_BY, "secondary")
				.keyValue(FallbackMetadata.HEDGED, Boolean.TRUE)
				.keyValue(FallbackMetadata.HEDGED_ENTRIES, List.of("primary", "secondary"))
				.keyValue(FallbackMetadata.CONTINUED_FROM, "primary")
				.keyValue(FallbackMetadata.SKIPPED, List.of("local: needs tools"))
				.build())
			.build();

		FallbackMetadata fallback = FallbackMetadata.of(response);

		assertThat(fallback.hedged()).isTrue();
		assertThat(fallback.hedgedEntries()).containsExactly("primary", "secondary");
		assertThat(fallback.continued()).isTrue();
		assertThat(fallback.continuedFrom()).isEqualTo("primary");
		assertThat(fallback.skipped()).containsExactly("local: needs tools");
	}

	@Test
	void whenTheResponseDidNotGoThroughTheChainThenTheTypedViewSaysNothing() {
		FallbackMetadata fallback = FallbackMetadata.of(new ChatResponse(List.of(new Generation(new AssistantMessage("x")))));

		assertThat(fallback.present()).isFalse();
		assertThat(fallback.servedBy()).isNull();
		assertThat(fallback.degraded()).isFalse();
		assertThat(fallback.attempts()).isEmpty();
		assertThat(FallbackMetadata.of(null).present()).isFalse();
	}

	static final class StatusFailure extends RuntimeException {

		final int status;

		StatusFailure(int status) {
			super("HTTP " + status);
			this.status = status;
		}

	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.event.AttemptFailedEvent;
import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.failure.ProviderErrorException;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * An entry's configured secrets and the request's own text never reach the exception that
 * ends a call, its causes, or the events listeners get, whatever the failing entry threw.
 */
class FailurePathRedactionTests {

	private static final String SECRET = "entry-secret-7f3a9c1e55";

	private static final String PROMPT = "please summarise the quarterly numbers of ACME";

	private final List<FallbackEvent> events = new ArrayList<>();

	/** An adapter whose error echoes its key and the prompt, as some providers' bodies do. */
	private final EntryModel echoing = new EntryModel() {

		@Override
		public ChatResponse call(Prompt prompt, Duration timeout) {
			throw new IllegalStateException("401: key " + SECRET + " rejected for '" + prompt.getContents() + "'");
		}

		@Override
		public Collection<String> secrets() {
			return List.of(SECRET);
		}

	};

	@Test
	void whenAnEntryEchoesItsKeyAndThePromptThenNeitherReachesTheExceptionNorTheEvents() {
		ResilientChatClient client = ResilientChatClient.builder()
			.entry(ChainEntry.of("only", "model", this.echoing))
			.classifier((ex) -> new Failure(FailureKind.AUTH, 401, null, "auth", "invalid_key", ex.getMessage()))
			.listener(this.events::add)
			.build();

		AllModelsFailedException failed = catchThrowableOfType(AllModelsFailedException.class,
				() -> client.call(new Prompt(PROMPT)));

		for (Throwable t = failed; t != null; t = t.getCause()) {
			assertThat(t.getMessage()).doesNotContain(SECRET).doesNotContain(PROMPT);
			assertThat(t.toString()).doesNotContain(SECRET).doesNotContain(PROMPT);
		}
		assertThat(failed.getCause()).isInstanceOf(ProviderErrorException.class);
		assertThat(this.events).filteredOn(AttemptFailedEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> assertThat(((AttemptFailedEvent) event).failure().message())
				.contains("rejected")
				.doesNotContain(SECRET)
				.doesNotContain(PROMPT));
	}

}

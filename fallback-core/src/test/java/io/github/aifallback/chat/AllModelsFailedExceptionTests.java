package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exception's message lists every attempt, and says so plainly when none was made.
 */
class AllModelsFailedExceptionTests {

	@Test
	void whenNoAttemptWasMadeThenTheMessageSaysSoWithoutAnEmptyList() {
		AllModelsFailedException ex = new AllModelsFailedException("every circuit is open", List.of(), null);

		assertThat(ex.getMessage()).isEqualTo("All models failed (every circuit is open); no attempt was made");
	}

	@Test
	void whenAttemptsWereMadeThenTheMessageListsEachOnItsOwnLine() {
		AllModelsFailedException ex = new AllModelsFailedException("every entry failed",
				List.of(new AttemptRecord("primary", 1, 2, FailureKind.SERVER_ERROR, 500, Duration.ofMillis(12),
						FailureAction.RETRY)),
				null);

		assertThat(ex.getMessage()).isEqualTo("All models failed (every entry failed); 1 attempt(s):\n"
				+ "  primary attempt 1/2: SERVER_ERROR (HTTP 500) after 12 ms, then RETRY");
	}

}

package io.github.aifallback.chat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * What an entry model shows of itself, and its warm-up.
 */
class OpenAiEntryModelTests {

	@Test
	void whenTheBaseUrlCarriesCredentialsThenToStringHidesThemAndTheKey() {
		OpenAiEntryModel model = OpenAiEntryModel.create("https://user:s3cret@gateway.example/v1", "the-api-key",
				"gpt-x", Duration.ofSeconds(5));

		assertThat(model.toString()).isEqualTo("OpenAiEntryModel[model=gpt-x, baseUrl=https://gateway.example/v1]")
			.doesNotContain("s3cret")
			.doesNotContain("the-api-key");
	}

	@Test
	void whenWarmedUpTwiceThenNothingFails() {
		assertThatNoException().isThrownBy(() -> {
			OpenAiEntryModel.warmUp();
			OpenAiEntryModel.warmUp();
		});
	}

}

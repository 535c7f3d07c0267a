package io.github.aifallback.chat.openai;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.aifallback.chat.failure.UrlRedaction;

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
	void whenTheBaseUrlCarriesQuerySecretsThenToStringShowsOnlyTheirNames() {
		OpenAiEntryModel model = OpenAiEntryModel.create(
				"https://u:pw-9@x.openai.azure.com/openai/v1?api-version=2024-10-21&api-key=k-1&key=k-2&code=c-3&bare-token#frag",
				"the-api-key", "gpt-x", Duration.ofSeconds(5));

		assertThat(model.toString()).isEqualTo("OpenAiEntryModel[model=gpt-x, baseUrl=https://x.openai.azure.com"
				+ "/openai/v1?api-version=***&api-key=***&key=***&code=***&***]");
	}

	@Test
	void whenAnEntryHasAKeyAndConfiguredHeadersThenTheyAreItsSecrets() {
		OpenAiEntryModel model = OpenAiEntryModel.builder()
			.baseUrl("https://gateway.example/v1")
			.apiKey("the-api-key")
			.model("gpt-x")
			.timeout(Duration.ofSeconds(5))
			.headers(Map.of("cf-aig-authorization", "Bearer gw-token"))
			.build();

		assertThat(model.secrets()).containsExactlyInAnyOrder("the-api-key", "Bearer gw-token");
		assertThat(model.toString()).doesNotContain("gw-token").doesNotContain("the-api-key");
	}

	@Test
	void whenAUrlCannotBeParsedThenItIsNotShown() {
		assertThat(UrlRedaction.redact("http://exa mple/v1?key=s3cret")).isEqualTo("(invalid URL)");
		assertThat(UrlRedaction.redact(null)).isNull();
	}

	@Test
	void whenWarmedUpTwiceThenNothingFails() {
		assertThatNoException().isThrownBy(() -> {
			OpenAiEntryModel.warmUp();
			OpenAiEntryModel.warmUp();
		});
	}

}

package io.github.aifallback.chat.anthropic;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * What an Anthropic entry model shows of itself, what it redacts, and what it refuses to
 * be built without (the SDK would read the environment instead).
 */
class AnthropicEntryModelTests {

	@Test
	void whenTheBaseUrlCarriesCredentialsThenToStringHidesThemAndTheKey() {
		AnthropicEntryModel model = AnthropicEntryModel.create("https://user:s3cret@gateway.example", "the-api-key",
				"claude-x", Duration.ofSeconds(5));

		assertThat(model.toString()).isEqualTo("AnthropicEntryModel[model=claude-x, baseUrl=https://gateway.example]")
			.doesNotContain("s3cret")
			.doesNotContain("the-api-key");
	}

	@Test
	void whenAnEntryHasAKeyAndConfiguredHeadersThenTheyAreItsSecretsAndItsClassifierIsAnthropics() {
		AnthropicEntryModel model = AnthropicEntryModel.builder()
			.baseUrl("https://api.anthropic.com")
			.apiKey("the-api-key")
			.model("claude-x")
			.timeout(Duration.ofSeconds(5))
			.headers(Map.of("cf-aig-authorization", "Bearer gw-token"))
			.build();

		assertThat(model.secrets()).containsExactlyInAnyOrder("the-api-key", "Bearer gw-token");
		assertThat(model.classifier()).isInstanceOf(AnthropicFailureClassifier.class);
	}

	@Test
	void whenTheBaseUrlOrTheKeyIsMissingThenTheModelIsNotBuiltRatherThanReadFromTheEnvironment() {
		assertThatNullPointerException().isThrownBy(() -> AnthropicEntryModel.builder()
			.apiKey("k")
			.model("claude-x")
			.timeout(Duration.ofSeconds(5))
			.build()).withMessage("baseUrl");
		assertThatNullPointerException().isThrownBy(() -> AnthropicEntryModel.builder()
			.baseUrl("https://api.anthropic.com")
			.model("claude-x")
			.timeout(Duration.ofSeconds(5))
			.build()).withMessage("apiKey");
	}

}

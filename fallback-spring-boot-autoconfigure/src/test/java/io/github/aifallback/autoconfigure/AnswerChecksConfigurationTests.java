package io.github.aifallback.autoconfigure;

import java.util.List;
import java.util.Set;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.Capability;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.failure.FailureAction;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.failure.InvalidResponseException;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.ResponseValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code capabilities}, {@code context-window} and {@code policy.refused} bind; a
 * {@link ResponseValidator} bean checks every answer; invalid values fail start-up naming
 * the property.
 */
class AnswerChecksConfigurationTests {

	private static final String SECRET = "canary-secret-5f4e3d2c1b";

	@RegisterExtension
	static WireMockExtension gateway = OpenAiStubs.provider();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withBean(ResilientChatClientCustomizer.class, () -> (builder) -> builder.sleeper((duration) -> {
		}))
		.withPropertyValues("ai.fallback.warm-up=false", "spring.ai.openai.base-url=" + baseUrl(gateway),
				"spring.ai.openai.api-key=" + SECRET, "ai.fallback.chain[0].model=model-a",
				"ai.fallback.chain[0].name=primary", "ai.fallback.chain[1].model=model-b",
				"ai.fallback.chain[1].name=secondary");

	@Test
	void whenCapabilitiesAndWindowsAreSetThenTheyBindOnTheEntriesAndOverridesWin() {
		this.runner
			.withPropertyValues("ai.fallback.chain[0].capabilities=tools,json-schema",
					"ai.fallback.chain[0].context-window=8000", "ai.fallback.entries.secondary.capabilities=vision",
					"ai.fallback.entries.secondary.context-window=128000", "ai.fallback.policy.refused=retry")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ResilientChatClient client = context.getBean(ResilientChatClient.class);
				List<ChainEntry> entries = client.getEntries();
				assertThat(entries.get(0).capabilities()).containsExactlyInAnyOrder(Capability.TOOLS,
						Capability.JSON_SCHEMA);
				assertThat(entries.get(0).contextWindow()).isEqualTo(8000);
				assertThat(entries.get(1).capabilities()).containsExactly(Capability.VISION);
				assertThat(entries.get(1).contextWindow()).isEqualTo(128000);
			});
	}

	@Test
	void whenNothingIsDeclaredThenCapabilitiesAndWindowAreUnknown() {
		this.runner.run((context) -> {
			List<ChainEntry> entries = context.getBean(ResilientChatClient.class).getEntries();
			assertThat(entries).extracting(ChainEntry::capabilities).containsOnlyNulls();
			assertThat(entries).extracting(ChainEntry::contextWindow).containsOnlyNulls();
		});
	}

	@Test
	void whenAResponseValidatorBeanRejectsTheFirstAnswerThenTheNextEntryServes() {
		gateway.stubFor(completion("model-a").willReturn(answer("model-a", "not json")));
		gateway.stubFor(completion("model-b").willReturn(answer("model-b", "{}")));
		this.runner.withBean(ResponseValidator.class, () -> (prompt, response) -> {
			if (!response.getResult().getOutput().getText().startsWith("{")) {
				throw new InvalidResponseException("not a JSON object");
			}
		}).run((context) -> {
			ChatResponse response = context.getBean(ResilientChatClient.class).call(new Prompt("hello"));
			assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
			assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
				.asString()
				.contains("INVALID_RESPONSE");
			gateway.verify(1, requestsFor("model-a"));
			gateway.verify(1, requestsFor("model-b"));
		});
	}

	@Test
	void whenCapabilitiesAreSetEmptyThenTheEntryIsTextOnly() {
		this.runner.withPropertyValues("ai.fallback.chain[0].capabilities=").run((context) -> {
			ResilientChatClient client = context.getBean(ResilientChatClient.class);
			assertThat(client.getEntries().get(0).capabilities()).isEqualTo(Set.of());
		});
	}

	@Test
	void whenTheContextWindowIsNegativeThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("ai.fallback.chain[1].context-window=-1")
			.run((context) -> assertFailure(context, "ai.fallback.chain[1].context-window"));
	}

	@Test
	void whenACapabilityIsUnknownThenStartupFailsNamingThePropertyAndTheValidNames() {
		this.runner.withPropertyValues("ai.fallback.entries.primary.capabilities=tools,telepathy")
			.run((context) -> {
				FailureAnalysis analysis = assertFailure(context, "ai.fallback.entries.primary.capabilities");
				assertThat(analysis.getAction()).contains("tools, vision, json-schema");
			});
	}

	@Test
	void whenThePolicyForRefusalsIsSetThenItIsTheChainsAction() {
		this.runner.withPropertyValues("ai.fallback.policy.refused=stop").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(FallbackProperties.class).getPolicy().getRefused())
				.isEqualTo(FailureAction.STOP);
			assertThat(FailureKind.REFUSED.defaultAction()).isEqualTo(FailureAction.FALL_BACK);
		});
	}

	private static FailureAnalysis assertFailure(AssertableApplicationContext context, String property) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis").isNotNull();
		assertThat(analysis.getDescription()).contains("Property: " + property).doesNotContain(SECRET);
		assertThat(analysis.getAction()).doesNotContain(SECRET);
		return analysis;
	}

}

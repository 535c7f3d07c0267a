package io.github.aifallback.autoconfigure;

import java.io.PrintWriter;
import java.io.StringWriter;

import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An entry's base URL and API key come as a pair from one source (the entry, its provider,
 * or {@code spring.ai.openai.*}): every mixed or empty combination fails start-up naming the
 * property, and no key ever appears in the report.
 */
class EntryEndpointConfigurationTests {

	private static final String SECRET = "canary-secret-5e1d9a7c3b";

	private static final String OTHER_SECRET = "canary-other-8f2c4e6a0d";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withPropertyValues("ai.fallback.warm-up=false", "ai.fallback.chain[0].model=model-a");

	@Test
	void whenAnEntrySetsAUrlButNoKeyThenStartupFailsInsteadOfSendingTheDefaultKeyThere() {
		this.runner
			.withPropertyValues("spring.ai.openai.api-key=" + SECRET,
					"ai.fallback.chain[0].base-url=http://127.0.0.1:9/v1")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].api-key", "Set ai.fallback.chain[0].api-key"));
	}

	@Test
	void whenAnEntrySetsAKeyButNoUrlThenStartupFailsInsteadOfSendingItToTheDefaultUrl() {
		this.runner
			.withPropertyValues("spring.ai.openai.base-url=http://127.0.0.1:9/v1",
					"spring.ai.openai.api-key=" + OTHER_SECRET, "ai.fallback.chain[0].api-key=" + SECRET)
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].base-url", "https://api.openai.com/v1"));
	}

	@Test
	void whenAnEntrySetsAUrlButItsProviderHasTheKeyThenStartupFails() {
		this.runner
			.withPropertyValues("ai.fallback.providers.bridge.base-url=http://127.0.0.1:9/v1",
					"ai.fallback.providers.bridge.api-key=" + SECRET, "ai.fallback.chain[0].provider=bridge",
					"ai.fallback.chain[0].base-url=http://127.0.0.1:10/v1")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].api-key", "Set ai.fallback.chain[0].api-key"));
	}

	@Test
	void whenAProviderSetsAUrlButNoKeyThenStartupFailsInsteadOfSendingTheDefaultKeyThere() {
		this.runner
			.withPropertyValues("spring.ai.openai.api-key=" + SECRET,
					"ai.fallback.providers.bridge.base-url=http://127.0.0.1:9/v1",
					"ai.fallback.chain[0].provider=bridge")
			.run((context) -> assertFailure(context, "ai.fallback.providers.bridge.api-key",
					"Set ai.fallback.providers.bridge.api-key"));
	}

	@Test
	void whenAProviderSetsAKeyButNoUrlThenStartupFails() {
		this.runner
			.withPropertyValues("spring.ai.openai.base-url=http://127.0.0.1:9/v1",
					"spring.ai.openai.api-key=" + OTHER_SECRET, "ai.fallback.providers.bridge.api-key=" + SECRET,
					"ai.fallback.chain[0].provider=bridge")
			.run((context) -> assertFailure(context, "ai.fallback.providers.bridge.base-url",
					"Set ai.fallback.providers.bridge.base-url"));
	}

	@Test
	void whenAProviderKeyIsSetButEmptyThenStartupFailsNamingIt() {
		this.runner
			.withPropertyValues("spring.ai.openai.api-key=" + SECRET,
					"ai.fallback.providers.bridge.base-url=http://127.0.0.1:9/v1",
					"ai.fallback.providers.bridge.api-key=", "ai.fallback.chain[0].provider=bridge")
			.run((context) -> assertFailure(context, "ai.fallback.providers.bridge.api-key", "${X:}"));
	}

	@Test
	void whenAProviderUrlIsBlankThenStartupFailsNamingIt() {
		this.runner
			.withPropertyValues("ai.fallback.providers.bridge.base-url=  ",
					"ai.fallback.providers.bridge.api-key=" + SECRET, "ai.fallback.chain[0].provider=bridge")
			.run((context) -> assertFailure(context, "ai.fallback.providers.bridge.base-url", "Give"));
	}

	@Test
	void whenAnEntryKeyIsSetButEmptyThenStartupFailsNamingIt() {
		this.runner
			.withPropertyValues("spring.ai.openai.api-key=" + SECRET,
					"ai.fallback.chain[0].base-url=http://127.0.0.1:9/v1", "ai.fallback.chain[0].api-key=")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].api-key", "${X:}"));
	}

	@Test
	void whenTheSpringAiKeyIsSetButEmptyThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("spring.ai.openai.api-key=")
			.run((context) -> assertFailure(context, "spring.ai.openai.api-key", "${X:}"));
	}

	@Test
	void whenTheSpringAiUrlIsSetButEmptyThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("spring.ai.openai.base-url=", "spring.ai.openai.api-key=" + SECRET)
			.run((context) -> assertFailure(context, "spring.ai.openai.base-url", "${X:}"));
	}

	@Test
	void whenTheSpringAiUrlIsSetWithoutAKeyThenStartupFails() {
		this.runner.withPropertyValues("spring.ai.openai.base-url=http://127.0.0.1:9/v1")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].api-key", "spring.ai.openai.api-key"));
	}

	@Test
	void whenAnEntryNamesAProviderWithNoUrlNorKeyThenStartupFailsInsteadOfUsingSpringAi() {
		this.runner
			.withPropertyValues("spring.ai.openai.base-url=http://127.0.0.1:9/v1",
					"spring.ai.openai.api-key=" + SECRET, "ai.fallback.providers.bridge.headers.x-route=eu",
					"ai.fallback.chain[0].provider=bridge")
			.run((context) -> assertFailure(context, "ai.fallback.providers.bridge.base-url",
					"never falls back to spring.ai.openai"));
	}

	@Test
	void whenAConfiguredHeaderIsSetButEmptyThenStartupFailsNamingIt() {
		this.runner
			.withPropertyValues("ai.fallback.providers.bridge.base-url=http://127.0.0.1:9/v1",
					"ai.fallback.providers.bridge.api-key=" + SECRET, "ai.fallback.providers.bridge.headers.x-token=",
					"ai.fallback.chain[0].provider=bridge")
			.run((context) -> assertFailure(context, "ai.fallback.providers.bridge.headers.x-token", "${X:}"));
	}

	@Test
	void whenOnlyTheSpringAiKeyIsSetThenTheEntryUsesOpenAisOwnUrl() {
		this.runner.withPropertyValues("spring.ai.openai.api-key=" + SECRET)
			.run((context) -> assertThat(entryModel(context)).contains("baseUrl=https://api.openai.com/v1"));
	}

	@Test
	void whenAProviderSetsBothThenItsPairIsUsedNotSpringAis() {
		this.runner
			.withPropertyValues("spring.ai.openai.base-url=http://127.0.0.1:9/v1", "spring.ai.openai.api-key=" + SECRET,
					"ai.fallback.providers.bridge.base-url=http://127.0.0.1:10/v1",
					"ai.fallback.providers.bridge.api-key=" + OTHER_SECRET, "ai.fallback.chain[0].provider=bridge")
			.run((context) -> assertThat(entryModel(context)).contains("baseUrl=http://127.0.0.1:10/v1"));
	}

	@Test
	void whenAProviderUrlCarriesSecretsThenItsToStringShowsNone() {
		this.runner
			.withPropertyValues("ai.fallback.providers.azure.base-url=https://user:" + OTHER_SECRET
					+ "@example.openai.azure.com/openai/v1?api-version=1&api-key=" + OTHER_SECRET,
					"ai.fallback.providers.azure.api-key=" + SECRET,
					"ai.fallback.providers.azure.headers.x-gateway-token=" + SECRET,
					"ai.fallback.chain[0].provider=azure",
					"ai.fallback.chain[0].headers.x-other=" + SECRET)
			.run((context) -> {
				FallbackProperties properties = context.getBean(FallbackProperties.class);
				assertThat(properties.getProviders().toString())
					.contains("https://example.openai.azure.com/openai/v1?api-version=***&api-key=***")
					.contains("x-gateway-token")
					.doesNotContain(SECRET)
					.doesNotContain(OTHER_SECRET);
				assertThat(properties.getChain().toString()).doesNotContain(SECRET).doesNotContain(OTHER_SECRET);
				assertThat(entryModel(context)).doesNotContain(SECRET).doesNotContain(OTHER_SECRET);
			});
	}

	private static String entryModel(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		ChainEntry entry = context.getBean(ResilientChatClient.class).getEntries().get(0);
		return entry.entryModel().toString();
	}

	private static void assertFailure(AssertableApplicationContext context, String property, String fix) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis").isNotNull();
		assertThat(analysis.getDescription()).contains("Property: " + property)
			.doesNotContain(SECRET)
			.doesNotContain(OTHER_SECRET);
		assertThat(analysis.getAction()).contains(fix).doesNotContain(SECRET).doesNotContain(OTHER_SECRET);
		StringWriter trace = new StringWriter();
		context.getStartupFailure().printStackTrace(new PrintWriter(trace));
		assertThat(trace.toString()).doesNotContain(SECRET).doesNotContain(OTHER_SECRET);
	}

}

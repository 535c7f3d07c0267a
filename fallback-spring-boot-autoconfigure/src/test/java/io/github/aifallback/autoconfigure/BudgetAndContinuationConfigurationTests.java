package io.github.aifallback.autoconfigure;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static io.github.aifallback.chat.OpenAiStubs.sse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ai.fallback.retry.budget.*} and {@code ai.fallback.stream-continuation.*}: values
 * that cannot work fail start-up naming the property, and the continuation set by property
 * reaches the client (over real HTTP).
 */
class BudgetAndContinuationConfigurationTests {

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(provider);
	}

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withPropertyValues("spring.ai.openai.api-key=k", "ai.fallback.chain[0].model=model-a");

	@Test
	void whenTheBudgetRatioIsAboveOneThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.retry.budget.ratio=1.5")
			.run((context) -> assertFailure(context, "ai.fallback.retry.budget.ratio", "e.g. 0.2"));
	}

	@Test
	void whenTheBudgetWindowIsNotPositiveThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.retry.budget.window=0s")
			.run((context) -> assertFailure(context, "ai.fallback.retry.budget.window", "positive duration"));
	}

	@Test
	void whenTheBudgetFloorIsNegativeThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.retry.budget.min-retries-per-second=-1")
			.run((context) -> assertFailure(context, "ai.fallback.retry.budget.min-retries-per-second", "0 or more"));
	}

	@Test
	void whenTheBudgetIsOffThenItsValuesAreNotChecked() {
		this.runner.withPropertyValues("ai.fallback.retry.budget.enabled=false", "ai.fallback.retry.budget.ratio=7")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void whenTheContinuationInstructionIsBlankThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.stream-continuation.instruction= ")
			.run((context) -> assertFailure(context, "ai.fallback.stream-continuation.instruction", "leave it unset"));
	}

	@Test
	void whenContinuationIsEnabledByPropertyThenACutStreamContinuesOnTheNextEntry() {
		provider.stubFor(completion("model-a").willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/event-stream")
			.withBody(OpenAiStubs.sseChunk("model-a", "{\"role\":\"assistant\",\"content\":\"\"}", null)
					+ OpenAiStubs.sseChunk("model-a", "{\"content\":\"Hel\"}", null))));
		provider.stubFor(completion("model-b").willReturn(sse("model-b", "lo")));
		this.runner
			.withPropertyValues("spring.ai.openai.base-url=" + baseUrl(provider), "ai.fallback.chain[1].model=model-b",
					"ai.fallback.retry.max-attempts=1", "ai.fallback.stream-continuation.enabled=true",
					"ai.fallback.stream-continuation.instruction=Go on.")
			.run((context) -> {
				List<ChatResponse> chunks = context.getBean(ResilientChatClient.class)
					.stream(new Prompt("hi"))
					.collectList()
					.block(Duration.ofSeconds(10));

				assertThat(chunks).extracting((c) -> c.getResult().getOutput().getText()).startsWith("Hel", "lo");
				assertThat(chunks.get(1).getMetadata().<String>get(FallbackMetadata.CONTINUED_FROM)).isEqualTo("model-a");
				provider.verify(1, requestsFor("model-a"));
				provider.verify(1, requestsFor("model-b").withRequestBody(
						com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.messages[2].content",
								com.github.tomakehurst.wiremock.client.WireMock.equalTo("Go on."))));
			});
	}

	private static void assertFailure(AssertableApplicationContext context, String property, String fix) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis").isNotNull();
		assertThat(analysis.getDescription()).contains("Property: " + property);
		assertThat(analysis.getAction()).contains(fix);
	}

}

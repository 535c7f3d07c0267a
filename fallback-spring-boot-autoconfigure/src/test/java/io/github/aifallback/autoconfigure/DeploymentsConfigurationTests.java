package io.github.aifallback.autoconfigure;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.actuate.FallbackEndpoint;
import io.github.aifallback.actuate.FallbackEndpoint.DeploymentDescriptor;
import io.github.aifallback.actuate.FallbackHealthContributor;
import io.github.aifallback.chat.AnthropicStubs;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.deployment.DeploymentsEntryModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ai.fallback.chain[i].deployments} and {@code ai.fallback.rate-limit.*}: binding,
 * real calls through the auto-configured client, health and endpoint views, and start-up
 * failures that name the property.
 */
class DeploymentsConfigurationTests {

	private static final String KEY_A = "canary-deploy-a-4c1e9b7d20";

	private static final String KEY_B = "canary-deploy-b-8f3a6d2e51";

	private static final String OPENAI_KEY = "canary-springai-1a2b3c4d5e";

	@RegisterExtension
	static WireMockExtension a = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension b = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension next = OpenAiStubs.provider();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withPropertyValues("ai.fallback.warm-up=false", "ai.fallback.chain[0].model=gpt-x",
				"ai.fallback.chain[0].name=primary", "ai.fallback.retry.max-attempts=1");

	@BeforeEach
	void reset() {
		a.resetAll();
		b.resetAll();
		next.resetAll();
	}

	private ApplicationContextRunner twoDeployments() {
		return this.runner.withPropertyValues(
				"ai.fallback.chain[0].deployments[0].base-url=" + OpenAiStubs.baseUrl(a),
				"ai.fallback.chain[0].deployments[0].api-key=" + KEY_A,
				"ai.fallback.chain[0].deployments[1].base-url=" + OpenAiStubs.baseUrl(b),
				"ai.fallback.chain[0].deployments[1].api-key=" + KEY_B,
				"ai.fallback.chain[0].deployments[1].model=gpt-x-eu", "ai.fallback.chain[1].model=next",
				"ai.fallback.chain[1].base-url=" + OpenAiStubs.baseUrl(next), "ai.fallback.chain[1].api-key=k");
	}

	@Test
	void whenAnEntryHasTwoDeploymentsThenTrafficAlternatesAndEachServerGetsOnlyItsKey() {
		a.stubFor(OpenAiStubs.completion("gpt-x").willReturn(OpenAiStubs.answer("gpt-x", "from a")));
		b.stubFor(OpenAiStubs.completion("gpt-x-eu").willReturn(OpenAiStubs.answer("gpt-x-eu", "from b")));
		twoDeployments().run((context) -> {
			ResilientChatClient client = context.getBean(ResilientChatClient.class);
			assertThat(client.getEntries().get(0).entryModel()).isInstanceOf(DeploymentsEntryModel.class);

			for (int i = 0; i < 4; i++) {
				client.call(new Prompt("hi"));
			}

			a.verify(2, OpenAiStubs.requestsFor("gpt-x").withHeader("Authorization", equalTo("Bearer " + KEY_A)));
			b.verify(2, OpenAiStubs.requestsFor("gpt-x-eu").withHeader("Authorization", equalTo("Bearer " + KEY_B)));
			a.verify(0, OpenAiStubs.requestsFor("gpt-x").withHeader("Authorization", equalTo("Bearer " + KEY_B)));
			b.verify(0, OpenAiStubs.requestsFor("gpt-x-eu").withHeader("Authorization", equalTo("Bearer " + KEY_A)));
		});
	}

	@Test
	void whenAnOverrideByNameRotatesADeploymentsKeyThenTheNewKeyIsTheOneSent() {
		String rotated = "canary-rotated-c7d2e9f014";
		a.stubFor(OpenAiStubs.completion("gpt-x").willReturn(OpenAiStubs.answer("gpt-x", "from a")));
		b.stubFor(OpenAiStubs.completion("gpt-x-eu").willReturn(OpenAiStubs.answer("gpt-x-eu", "from b")));
		twoDeployments().withPropertyValues("ai.fallback.entries.primary.deployments[0].api-key=" + rotated)
			.run((context) -> {
				ResilientChatClient client = context.getBean(ResilientChatClient.class);

				for (int i = 0; i < 4; i++) {
					client.call(new Prompt("hi"));
				}

				a.verify(2, OpenAiStubs.requestsFor("gpt-x").withHeader("Authorization", equalTo("Bearer " + rotated)));
				a.verify(0, OpenAiStubs.requestsFor("gpt-x").withHeader("Authorization", equalTo("Bearer " + KEY_A)));
				// The deployment the override does not touch keeps its URL, key and model.
				b.verify(2,
						OpenAiStubs.requestsFor("gpt-x-eu").withHeader("Authorization", equalTo("Bearer " + KEY_B)));
			});
	}

	@Test
	void whenAnOverrideByNameGivesADeploymentAWeightThenItGetsThatShare() {
		a.stubFor(OpenAiStubs.completion("gpt-x").willReturn(OpenAiStubs.answer("gpt-x", "from a")));
		b.stubFor(OpenAiStubs.completion("gpt-x-eu").willReturn(OpenAiStubs.answer("gpt-x-eu", "from b")));
		twoDeployments().withPropertyValues("ai.fallback.entries.primary.deployments[1].weight=3").run((context) -> {
			ResilientChatClient client = context.getBean(ResilientChatClient.class);

			for (int i = 0; i < 4; i++) {
				client.call(new Prompt("hi"));
			}

			a.verify(1, OpenAiStubs.requestsFor("gpt-x"));
			b.verify(3, OpenAiStubs.requestsFor("gpt-x-eu"));
		});
	}

	@Test
	void whenAnOverrideByNameNamesADeploymentTheEntryDoesNotHaveThenStartUpFailsNamingIt() {
		twoDeployments().withPropertyValues("ai.fallback.entries.primary.deployments[2].api-key=" + KEY_A)
			.run((context) -> assertFailure(context, "ai.fallback.entries.primary.deployments[2]"));
	}

	@Test
	void whenADeploymentAnswers429ThenTheOtherServesAndTheNextEntryGetsNothing() {
		a.stubFor(OpenAiStubs.completion("gpt-x").willReturn(OpenAiStubs.error(429, "requests", "rate_limit_exceeded")));
		b.stubFor(OpenAiStubs.completion("gpt-x-eu").willReturn(OpenAiStubs.answer("gpt-x-eu", "from b")));
		twoDeployments().run((context) -> {
			ResilientChatClient client = context.getBean(ResilientChatClient.class);

			assertThat(client.call(new Prompt("hi")).getMetadata().<String>get(FallbackMetadata.SERVED_BY))
				.isEqualTo("primary");

			a.verify(1, OpenAiStubs.requestsFor("gpt-x"));
			b.verify(1, OpenAiStubs.requestsFor("gpt-x-eu"));
			next.verify(0, OpenAiStubs.requestsFor("next"));
		});
	}

	@Test
	void whenAnEntryHasDeploymentsThenHealthAndTheEndpointShowThemWithoutKeys() {
		a.stubFor(OpenAiStubs.completion("gpt-x").willReturn(OpenAiStubs.answer("gpt-x", "from a")
			.withHeader("x-ratelimit-remaining-requests", "7")
			.withHeader("x-ratelimit-reset-requests", "1s")));
		twoDeployments().run((context) -> {
			ResilientChatClient client = context.getBean(ResilientChatClient.class);
			client.call(new Prompt("hi"));

			List<DeploymentDescriptor> deployments = new FallbackEndpoint(client).chain().entries().get(0).deployments();
			assertThat(deployments).extracting(DeploymentDescriptor::label, DeploymentDescriptor::target,
					DeploymentDescriptor::weight, DeploymentDescriptor::circuitState)
				.containsExactly(
						org.assertj.core.groups.Tuple.tuple("deployment-0", OpenAiStubs.baseUrl(a), 1, "CLOSED"),
						org.assertj.core.groups.Tuple.tuple("deployment-1", OpenAiStubs.baseUrl(b), 1, "CLOSED"));
			assertThat(deployments.get(0).remainingRequests()).isEqualTo(7L);
			assertThat(new FallbackEndpoint(client).chain().entries().get(1).deployments()).isNull();
			Health health = ((HealthIndicator) new FallbackHealthContributor(client, new FallbackHealthProperties())
				.getContributor("primary")).health();
			assertThat(health.getDetails().get("deployments")).asList().hasSize(2);
			assertThat(((Map<?, ?>) ((List<?>) health.getDetails().get("deployments")).get(1)).get("label"))
				.isEqualTo("deployment-1");
			assertThat(health.toString()).doesNotContain(KEY_A).doesNotContain(KEY_B);
			assertThat(deployments.toString()).doesNotContain(KEY_A).doesNotContain(KEY_B);
		});
	}

	@Test
	void whenDeploymentsUseAnthropicProvidersThenTheyBindAndCall() {
		AnthropicStubs.warmUp(a);
		a.stubFor(AnthropicStubs.messages("claude-x").willReturn(AnthropicStubs.answer("claude-x", "from a")));
		b.stubFor(AnthropicStubs.messages("claude-x").willReturn(AnthropicStubs.answer("claude-x", "from b")));
		this.runner
			.withPropertyValues("ai.fallback.chain[0].model=claude-x", "ai.fallback.providers.c1.type=anthropic",
					"ai.fallback.providers.c1.base-url=" + AnthropicStubs.baseUrl(a),
					"ai.fallback.providers.c1.api-key=" + KEY_A, "ai.fallback.providers.c2.type=anthropic",
					"ai.fallback.providers.c2.base-url=" + AnthropicStubs.baseUrl(b),
					"ai.fallback.providers.c2.api-key=" + KEY_B, "ai.fallback.chain[0].deployments[0].provider=c1",
					"ai.fallback.chain[0].deployments[1].provider=c2")
			.run((context) -> {
				ResilientChatClient client = context.getBean(ResilientChatClient.class);
				client.call(new Prompt("hi"));
				client.call(new Prompt("hi"));

				a.verify(1, AnthropicStubs.requestsFor("claude-x").withHeader("x-api-key", equalTo(KEY_A)));
				b.verify(1, AnthropicStubs.requestsFor("claude-x").withHeader("x-api-key", equalTo(KEY_B)));
			});
	}

	@Test
	void whenSkipEntriesIsOnThenAnEntryWhoseProviderSaysNothingIsLeftIsSkippedWithoutARequest() {
		a.stubFor(OpenAiStubs.completion("gpt-x").willReturn(OpenAiStubs.answer("gpt-x", "from a")
			.withHeader("x-ratelimit-remaining-requests", "0")
			.withHeader("x-ratelimit-reset-requests", "1m0s")));
		next.stubFor(OpenAiStubs.completion("next").willReturn(OpenAiStubs.answer("next", "from next")));
		this.runner
			.withPropertyValues("ai.fallback.rate-limit.skip-entries=true",
					"ai.fallback.chain[0].base-url=" + OpenAiStubs.baseUrl(a), "ai.fallback.chain[0].api-key=" + KEY_A,
					"ai.fallback.chain[1].model=next", "ai.fallback.chain[1].base-url=" + OpenAiStubs.baseUrl(next),
					"ai.fallback.chain[1].api-key=k")
			.run((context) -> {
				ResilientChatClient client = context.getBean(ResilientChatClient.class);
				for (int i = 0; i < 3; i++) {
					client.call(new Prompt("hi"));
				}

				a.verify(1, OpenAiStubs.requestsFor("gpt-x"));
				next.verify(2, OpenAiStubs.requestsFor("next"));
			});
	}

	@Test
	void whenSkipEntriesIsOnThenTheSkipRecordsNoFailureAndIsListedInTheMetadata() {
		a.stubFor(OpenAiStubs.completion("gpt-x").willReturn(OpenAiStubs.answer("gpt-x", "from a")
			.withHeader("x-ratelimit-remaining-requests", "0")
			.withHeader("x-ratelimit-reset-requests", "1m0s")));
		next.stubFor(OpenAiStubs.completion("next").willReturn(OpenAiStubs.answer("next", "from next")));
		this.runner
			.withPropertyValues("ai.fallback.rate-limit.skip-entries=true",
					"ai.fallback.chain[0].base-url=" + OpenAiStubs.baseUrl(a), "ai.fallback.chain[0].api-key=" + KEY_A,
					"ai.fallback.chain[1].model=next", "ai.fallback.chain[1].base-url=" + OpenAiStubs.baseUrl(next),
					"ai.fallback.chain[1].api-key=k")
			.run((context) -> {
				ResilientChatClient client = context.getBean(ResilientChatClient.class);
				client.call(new Prompt("hi"));
				ChatResponse skipped = client.call(new Prompt("hi"));
				client.call(new Prompt("hi"));

				assertThat(skipped.getMetadata().<List<String>>get(FallbackMetadata.SKIPPED)).singleElement()
					.asString()
					.startsWith("primary: rate limit: none left until ");
				assertThat(skipped.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).isEmpty();
				assertThat(client.circuitBreaker("primary").snapshot().failures()).isZero();
				a.verify(1, OpenAiStubs.requestsFor("gpt-x"));
			});
	}

	@Test
	void whenSkipEntriesIsOffThenAnEntryIsLeftOnlyOnAnActual429() {
		a.stubFor(OpenAiStubs.completion("gpt-x").willReturn(OpenAiStubs.answer("gpt-x", "from a")
			.withHeader("x-ratelimit-remaining-requests", "0")
			.withHeader("x-ratelimit-reset-requests", "1m0s")));
		this.runner
			.withPropertyValues("ai.fallback.chain[0].base-url=" + OpenAiStubs.baseUrl(a),
					"ai.fallback.chain[0].api-key=" + KEY_A)
			.run((context) -> {
				ResilientChatClient client = context.getBean(ResilientChatClient.class);
				for (int i = 0; i < 3; i++) {
					client.call(new Prompt("hi"));
				}

				a.verify(3, OpenAiStubs.requestsFor("gpt-x"));
			});
	}

	@Test
	void whenADeploymentHasAUrlButNoKeyThenStartupFailsNamingIt() {
		this.runner
			.withPropertyValues("ai.fallback.chain[0].deployments[0].base-url=http://127.0.0.1:9/v1",
					"ai.fallback.chain[0].deployments[0].api-key=" + KEY_A,
					"ai.fallback.chain[0].deployments[1].base-url=http://127.0.0.1:9/v1",
					"spring.ai.openai.api-key=" + OPENAI_KEY)
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].deployments[1].api-key"));
	}

	@Test
	void whenADeploymentHasAKeyButNoUrlThenStartupFailsNamingIt() {
		this.runner
			.withPropertyValues("ai.fallback.chain[0].deployments[0].api-key=" + KEY_A,
					"spring.ai.openai.base-url=http://127.0.0.1:9/v1", "spring.ai.openai.api-key=" + OPENAI_KEY)
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].deployments[0].base-url"));
	}

	@Test
	void whenADeploymentHasNoEndpointThenStartupFailsInsteadOfUsingSpringAi() {
		this.runner
			.withPropertyValues("ai.fallback.chain[0].deployments[0].weight=2",
					"spring.ai.openai.base-url=http://127.0.0.1:9/v1", "spring.ai.openai.api-key=" + OPENAI_KEY)
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].deployments[0].api-key"));
	}

	@Test
	void whenAWeightIsZeroThenStartupFailsNamingIt() {
		this.runner
			.withPropertyValues("ai.fallback.chain[0].deployments[0].base-url=http://127.0.0.1:9/v1",
					"ai.fallback.chain[0].deployments[0].api-key=" + KEY_A,
					"ai.fallback.chain[0].deployments[0].weight=0")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].deployments[0].weight"));
	}

	@Test
	void whenAnEntryMixesDeploymentsWithItsOwnBaseUrlThenStartupFailsNamingIt() {
		this.runner
			.withPropertyValues("ai.fallback.chain[0].base-url=http://127.0.0.1:9/v1",
					"ai.fallback.chain[0].api-key=" + KEY_B,
					"ai.fallback.chain[0].deployments[0].base-url=http://127.0.0.1:9/v1",
					"ai.fallback.chain[0].deployments[0].api-key=" + KEY_A)
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].base-url"));
	}

	@Test
	void whenDeploymentsMixOpenAiAndAnthropicThenStartupFailsNamingIt() {
		this.runner
			.withPropertyValues("ai.fallback.providers.c1.type=anthropic",
					"ai.fallback.providers.c1.base-url=http://127.0.0.1:9", "ai.fallback.providers.c1.api-key=" + KEY_A,
					"ai.fallback.chain[0].deployments[0].provider=c1",
					"ai.fallback.chain[0].deployments[1].base-url=http://127.0.0.1:9/v1",
					"ai.fallback.chain[0].deployments[1].api-key=" + KEY_B)
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].deployments[1].provider"));
	}

	@Test
	void whenAMinRemainingIsNegativeThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("ai.fallback.rate-limit.min-remaining-tokens=-1",
				"ai.fallback.chain[0].base-url=http://127.0.0.1:9/v1", "ai.fallback.chain[0].api-key=" + KEY_A)
			.run((context) -> assertFailure(context, "ai.fallback.rate-limit.min-remaining-tokens"));
	}

	private static void assertFailure(AssertableApplicationContext context, String property) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis").isNotNull();
		assertThat(analysis.getDescription()).contains("Property: " + property + "\n");
		StringWriter trace = new StringWriter();
		context.getStartupFailure().printStackTrace(new PrintWriter(trace));
		assertThat(trace.toString() + analysis.getDescription() + analysis.getAction()).doesNotContain(KEY_A)
			.doesNotContain(KEY_B)
			.doesNotContain(OPENAI_KEY);
	}

}

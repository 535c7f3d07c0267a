package io.github.aifallback.chat.deployment;

import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.AnthropicStubs;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.RetrySettings;
import io.github.aifallback.chat.anthropic.AnthropicEntryModel;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.circuit.CircuitSnapshot;
import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.prompt.Prompt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deployment whose streams hang is taken out (issue 20): the first-token timeout the chain
 * imposes is that deployment's failure, recorded as {@code TIMEOUT} on its circuit and on the
 * entry's, through the real OpenAI and Anthropic clients over real HTTP.
 */
class DeploymentStreamTimeoutHttpTests {

	private static final CircuitBreakerSettings BREAKER = new CircuitBreakerSettings(2, Duration.ofMinutes(1),
			Duration.ofMinutes(5));

	@RegisterExtension
	static WireMockExtension hung = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension healthy = OpenAiStubs.provider();

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(hung);
		AnthropicStubs.warmUp(healthy);
	}

	@Test
	void whenAnOpenAiDeploymentHangsOnStreamsThenItsCircuitOpensOnTimeouts() {
		hung.stubFor(OpenAiStubs.completion("gpt").willReturn(OpenAiStubs.sse("gpt", "late").withFixedDelay(3000)));
		healthy.stubFor(OpenAiStubs.completion("gpt").willReturn(OpenAiStubs.sse("gpt", "from ", "b")));
		DeploymentsEntryModel deployments = DeploymentsEntryModel.builder("primary")
			.deployment(new Deployment("hung", OpenAiStubs.baseUrl(hung), openAi(hung), 1, null))
			.deployment(new Deployment("healthy", OpenAiStubs.baseUrl(healthy), openAi(healthy), 1, null))
			.circuitBreaker(BREAKER)
			.build();

		assertStreamsTakeTheHungDeploymentOut(deployments, () -> hung.findAll(OpenAiStubs.requestsFor("gpt")).size());
	}

	@Test
	void whenAnAnthropicDeploymentHangsOnStreamsThenItsCircuitOpensOnTimeouts() {
		hung.stubFor(AnthropicStubs.messages("claude").willReturn(AnthropicStubs.sse("claude", "late").withFixedDelay(3000)));
		healthy.stubFor(AnthropicStubs.messages("claude").willReturn(AnthropicStubs.sse("claude", "from ", "b")));
		DeploymentsEntryModel deployments = DeploymentsEntryModel.builder("primary")
			.deployment(new Deployment("hung", AnthropicStubs.baseUrl(hung), anthropic(hung), 1, null))
			.deployment(new Deployment("healthy", AnthropicStubs.baseUrl(healthy), anthropic(healthy), 1, null))
			.circuitBreaker(BREAKER)
			.build();

		assertStreamsTakeTheHungDeploymentOut(deployments,
				() -> hung.findAll(AnthropicStubs.requestsFor("claude")).size());
	}

	private void assertStreamsTakeTheHungDeploymentOut(DeploymentsEntryModel deployments,
			java.util.function.IntSupplier hungRequests) {
		try (ResilientChatClient client = ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "m", deployments))
			.retry(RetrySettings.custom()
				.initialInterval(Duration.ZERO)
				.multiplier(1.0)
				.maxInterval(Duration.ofSeconds(1))
				.jitter(false)
				.build())
			.firstTokenTimeout(Duration.ofMillis(300))
			.deadline(Duration.ofSeconds(20))
			.circuitBreaker(BREAKER)
			.sleeper((wait) -> {
			})
			.build()) {
			for (int i = 0; i < 6; i++) {
				String text = String.join("", client.stream(new Prompt("hi"))
					.map((chunk) -> (chunk.getResult() != null && chunk.getResult().getOutput().getText() != null)
							? chunk.getResult().getOutput().getText() : "")
					.collectList()
					.block(Duration.ofSeconds(10)));
				assertThat(text).isEqualTo("from b");
			}
			CircuitSnapshot hungCircuit = deployments.circuitBreakers().get(0).snapshot();
			assertThat(hungCircuit.state()).isEqualTo(CircuitState.OPEN);
			assertThat(hungCircuit.lastFailureKind()).isEqualTo(FailureKind.TIMEOUT);
			assertThat(deployments.circuitBreakers().get(1).snapshot().failures()).isZero();
			assertThat(client.circuitBreaker("primary").snapshot().lastFailureKind()).isEqualTo(FailureKind.TIMEOUT);
			assertThat(hungRequests.getAsInt()).as("no stream goes to the hung deployment once it is out")
				.isEqualTo(2);
		}
	}

	private static OpenAiEntryModel openAi(WireMockExtension server) {
		return OpenAiEntryModel.create(OpenAiStubs.baseUrl(server), "k", "gpt", Duration.ofSeconds(10));
	}

	private static AnthropicEntryModel anthropic(WireMockExtension server) {
		return AnthropicEntryModel.builder()
			.baseUrl(AnthropicStubs.baseUrl(server))
			.apiKey("k")
			.model("claude")
			.timeout(Duration.ofSeconds(10))
			.build();
	}

}

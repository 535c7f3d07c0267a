package io.github.aifallback.autoconfigure;

import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.AnthropicStubs;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring AI logs the prompt when a provider answers with no choices, and a failed stream's
 * error body; the starter keeps both out of the logs unless the application opts in.
 */
@ExtendWith(OutputCaptureExtension.class)
class PromptLoggingTests {

	private static final String PROMPT = "secret plans for the quarter";

	private static final String BODY_MARKER = "provider-body-marker-7f3a";

	@RegisterExtension
	static WireMockExtension gateway = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension claude = AnthropicStubs.provider();

	@Test
	void whenAProviderAnswersWithNoChoicesThenThePromptIsNotLogged(CapturedOutput output) {
		callThroughEmptyChoices();

		assertThat(output).contains("INVALID_RESPONSE").doesNotContain(PROMPT);
	}

	@Test
	void whenTheApplicationOptsInThenSpringAiMayLogThePrompt(CapturedOutput output) {
		callThroughEmptyChoices("--ai.fallback.log-prompts=true");

		assertThat(output).contains("INVALID_RESPONSE").contains(PROMPT);
	}

	@Test
	void whenAStreamFailsThenSpringAiDoesNotLogTheProviderErrorBody(CapturedOutput output) {
		streamThroughFailingPrimary();

		assertThat(output).contains("AUTH").doesNotContain(BODY_MARKER).doesNotContain("Aggregation Error");
	}

	@Test
	void whenTheApplicationOptsInThenSpringAiMayLogAFailedStreamsErrorBody(CapturedOutput output) {
		streamThroughFailingPrimary("--ai.fallback.log-prompts=true");

		assertThat(output).contains("AUTH").contains("Aggregation Error").contains(BODY_MARKER);
	}

	@Test
	void whenAnAnthropicAnswerHasNoContentThenThePromptIsNotLogged(CapturedOutput output) {
		callThroughEmptyAnthropicAnswer();

		assertThat(output).contains("INVALID_RESPONSE").doesNotContain(PROMPT);
	}

	@Test
	void whenTheApplicationOptsInThenSpringAisAnthropicModelMayLogThePrompt(CapturedOutput output) {
		callThroughEmptyAnthropicAnswer("--ai.fallback.log-prompts=true");

		assertThat(output).contains("INVALID_RESPONSE").contains(PROMPT);
	}

	private static void callThroughEmptyAnthropicAnswer(String... extraArgs) {
		claude.stubFor(AnthropicStubs.messages("claude-a").willReturn(okJson("""
				{"id":"msg_1","type":"message","role":"assistant","model":"claude-a","content":[],
				 "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":0}}""")));
		gateway.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		String[] args = new String[extraArgs.length + 8];
		args[0] = "--ai.fallback.providers.claude.type=anthropic";
		args[1] = "--ai.fallback.providers.claude.base-url=" + AnthropicStubs.baseUrl(claude);
		args[2] = "--ai.fallback.providers.claude.api-key=claude-key";
		args[3] = "--ai.fallback.chain[0].model=claude-a";
		args[4] = "--ai.fallback.chain[0].provider=claude";
		args[5] = "--ai.fallback.chain[1].model=model-b";
		args[6] = "--spring.ai.openai.base-url=" + baseUrl(gateway);
		args[7] = "--spring.ai.openai.api-key=test-key";
		System.arraycopy(extraArgs, 0, args, 8, extraArgs.length);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.run(args)) {
			assertThat(context.getBean(ResilientChatClient.class).call(PROMPT)).isEqualTo("from B");
		}
	}

	private static void streamThroughFailingPrimary(String... extraArgs) {
		gateway.stubFor(completion("model-a").willReturn(aResponse().withStatus(401)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"error\":{\"message\":\"" + BODY_MARKER + "\",\"type\":\"invalid_request_error\"}}")));
		gateway.stubFor(completion("model-b").willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/event-stream")
			.withBody("data: {\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"model-b\","
					+ "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"from B\"},\"finish_reason\":\"stop\"}]}\n\n"
					+ "data: [DONE]\n\n")));
		try (ConfigurableApplicationContext context = run(extraArgs)) {
			List<ChatResponse> chunks = context.getBean(ResilientChatClient.class)
				.stream(new Prompt(PROMPT))
				.collectList()
				.block();
			assertThat(chunks).extracting((c) -> c.getResult().getOutput().getText()).contains("from B");
		}
	}

	private static void callThroughEmptyChoices(String... extraArgs) {
		gateway.stubFor(completion("model-a").willReturn(okJson("""
				{"id":"x","object":"chat.completion","created":1700000000,"model":"model-a","choices":[]}""")));
		gateway.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		try (ConfigurableApplicationContext context = run(extraArgs)) {
			assertThat(context.getBean(ResilientChatClient.class).call(PROMPT)).isEqualTo("from B");
		}
	}

	private static ConfigurableApplicationContext run(String... extraArgs) {
		String[] args = new String[extraArgs.length + 4];
		args[0] = "--spring.ai.openai.base-url=" + baseUrl(gateway);
		args[1] = "--spring.ai.openai.api-key=test-key";
		args[2] = "--ai.fallback.chain[0].model=model-a";
		args[3] = "--ai.fallback.chain[1].model=model-b";
		System.arraycopy(extraArgs, 0, args, 4, extraArgs.length);
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run(args);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(FallbackAutoConfiguration.class)
	static class App {

	}

}

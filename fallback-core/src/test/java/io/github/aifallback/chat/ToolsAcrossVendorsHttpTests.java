package io.github.aifallback.chat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.aifallback.chat.anthropic.AnthropicEntryModel;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring AI's {@code ChatClient} with a {@code @Tool}, through the chain, across a vendor
 * switch: OpenAI asks for the tool, the client runs it once, OpenAI then fails, and
 * Anthropic answers from the tool's result. The tool never runs twice: tools run in the
 * client's tool-calling loop, each round one call through the chain.
 */
class ToolsAcrossVendorsHttpTests {

	@RegisterExtension
	static WireMockExtension openAi = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension anthropic = AnthropicStubs.provider();

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(openAi);
		AnthropicStubs.warmUp(anthropic);
	}

	@Test
	void whenTheSecondRoundFailsOnOpenAiThenAnthropicAnswersFromTheToolResultAndTheToolRanOnce() {
		openAi.stubFor(OpenAiStubs.completion("gpt-a")
			.inScenario("tool round")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(okJson("""
					{"id":"chatcmpl-t","object":"chat.completion","created":1700000000,"model":"gpt-a",
					 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
					   {"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
					   "finish_reason":"tool_calls"}],
					 "usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}"""))
			.willSetStateTo("tool called"));
		openAi.stubFor(OpenAiStubs.completion("gpt-a")
			.inScenario("tool round")
			.whenScenarioStateIs("tool called")
			.willReturn(serverError()));
		anthropic.stubFor(AnthropicStubs.messages("claude-a")
			.willReturn(AnthropicStubs.answer("claude-a", "Sunny and 21 degrees in Paris.")));
		WeatherTools tools = new WeatherTools();
		ResilientChatClient chain = ResilientChatClient.builder()
			.entry(new ChainEntry("openai", "gpt-a",
					OpenAiEntryModel.create(OpenAiStubs.baseUrl(openAi), "openai-key", "gpt-a", Duration.ofSeconds(5)),
					null, 1))
			.entry(new ChainEntry("anthropic", "claude-a", AnthropicEntryModel
				.create(AnthropicStubs.baseUrl(anthropic), "anthropic-key", "claude-a", Duration.ofSeconds(5)), null, 1))
			.build();

		String answer = ChatClient.create(chain)
			.prompt()
			.user("What is the weather in Paris?")
			.tools(tools)
			.call()
			.content();

		assertThat(answer).isEqualTo("Sunny and 21 degrees in Paris.");
		assertThat(tools.calls).as("the tool ran once, in the first round").hasValue(1);
		openAi.verify(2, OpenAiStubs.requestsFor("gpt-a")
			.withRequestBody(matchingJsonPath("$.tools[0].function.name", equalTo("weather"))));
		openAi.verify(1, OpenAiStubs.requestsFor("gpt-a").withRequestBody(containing("sunny, 21")));
		anthropic.verify(1, AnthropicStubs.requestsFor("claude-a")
			.withRequestBody(containing("tool_result"))
			.withRequestBody(containing("sunny, 21"))
			.withRequestBody(matchingJsonPath("$.tools[0].name", equalTo("weather"))));
	}

	static final class WeatherTools {

		final AtomicInteger calls = new AtomicInteger();

		@Tool(name = "weather", description = "The weather now in a city")
		String weather(@ToolParam(description = "the city") String city) {
			this.calls.incrementAndGet();
			return "sunny, 21 degrees in " + city;
		}

	}

}

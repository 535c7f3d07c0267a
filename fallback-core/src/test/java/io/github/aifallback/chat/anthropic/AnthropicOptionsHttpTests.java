package io.github.aifallback.chat.anthropic;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.function.FunctionToolCallback;

import io.github.aifallback.chat.AnthropicStubs;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.ResilientChatClient;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static io.github.aifallback.chat.AnthropicStubs.messages;
import static io.github.aifallback.chat.AnthropicStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What of the caller's options reaches an Anthropic request, on the wire: the portable
 * ones from any vendor's options type, Anthropic's own from {@link AnthropicChatOptions},
 * never another vendor's; the entry's model always; max tokens by default; tool
 * definitions out and tool-use blocks back as tool calls, the tool never run by the entry.
 */
class AnthropicOptionsHttpTests {

	@RegisterExtension
	static WireMockExtension anthropic = AnthropicStubs.provider();

	private final AtomicInteger toolRuns = new AtomicInteger();

	record City(String city) {
	}

	@BeforeAll
	static void warmUp() {
		AnthropicStubs.warmUp(anthropic);
	}

	@BeforeEach
	void reset() {
		anthropic.resetAll();
	}

	private static ResilientChatClient client(AnthropicEntryModel model) {
		return ResilientChatClient.builder().entry(ChainEntry.of("claude", "claude-x", model)).build();
	}

	private static ResilientChatClient client() {
		return client(AnthropicStubs.model(anthropic, "claude-x"));
	}

	private String body() {
		return anthropic.getAllServeEvents().get(0).getRequest().getBodyAsString();
	}

	private ToolCallback weather() {
		Function<City, String> weather = (city) -> {
			this.toolRuns.incrementAndGet();
			return "sunny";
		};
		return FunctionToolCallback.builder("get_weather", weather)
			.description("The weather in a city")
			.inputType(City.class)
			.build();
	}

	@Test
	void whenOpenAiOptionsAreGivenThenOnlyThePortableOnesReachTheAnthropicRequest() {
		anthropic.stubFor(messages("claude-x").willReturn(AnthropicStubs.answer("claude-x", "ok")));
		OpenAiChatOptions options = OpenAiChatOptions.builder()
			.model("gpt-4o")
			.temperature(0.3)
			.maxTokens(99)
			.topP(0.9)
			.stopSequences(List.of("END"))
			.user("user-1")
			.logitBias(Map.of("50256", -100))
			.seed(7)
			.build();

		client().call(new Prompt("hello", options));

		anthropic.verify(1, requestsFor("claude-x").withRequestBody(matchingJsonPath("$.temperature", equalTo("0.3")))
			.withRequestBody(matchingJsonPath("$.max_tokens", equalTo("99")))
			.withRequestBody(matchingJsonPath("$.top_p", equalTo("0.9")))
			.withRequestBody(matchingJsonPath("$.stop_sequences[0]", equalTo("END"))));
		assertThat(body()).doesNotContain("gpt-4o")
			.doesNotContain("user-1")
			.doesNotContain("logit")
			.doesNotContain("seed")
			.doesNotContain("metadata");
	}

	@Test
	void whenNoMaxTokensIsGivenThenTheRequestAsksForSpringAisDefault() {
		anthropic.stubFor(messages("claude-x").willReturn(AnthropicStubs.answer("claude-x", "ok")));

		client().call(new Prompt("hello"));

		anthropic.verify(1, requestsFor("claude-x").withRequestBody(matchingJsonPath("$.max_tokens", equalTo("4096"))));
	}

	@Test
	void whenAnthropicOptionsAreGivenThenTheirOwnOptionsGoButOnlyForwardedHeaders() {
		anthropic.stubFor(messages("claude-x").willReturn(AnthropicStubs.answer("claude-x", "ok")));
		AnthropicChatOptions options = AnthropicChatOptions.builder()
			.model("claude-other")
			.topK(5)
			.httpHeaders(Map.of("x-tenant-token", "t-1", "anthropic-beta", "beta-1"))
			.baseUrl("http://127.0.0.1:9")
			.build();
		AnthropicEntryModel model = AnthropicEntryModel.builder()
			.baseUrl(AnthropicStubs.baseUrl(anthropic))
			.apiKey("test-key")
			.model("claude-x")
			.timeout(Duration.ofSeconds(5))
			.forwardHeaders(List.of("Anthropic-Beta"))
			.build();

		client(model).call(new Prompt("hello", options));

		anthropic.verify(1, requestsFor("claude-x").withRequestBody(matchingJsonPath("$.top_k", equalTo("5")))
			.withHeader("anthropic-beta", equalTo("beta-1"))
			.withHeader("x-tenant-token", absent())
			.withHeader("x-api-key", equalTo("test-key")));
	}

	@Test
	void whenARequestCarriesAToolThenItsDefinitionIsSentAndTheToolUseComesBackAsAToolCall() {
		anthropic.stubFor(messages("claude-x")
			.willReturn(AnthropicStubs.toolUse("claude-x", "toolu_1", "get_weather", "{\"city\":\"Paris\"}")));

		ChatResponse response = client()
			.call(new Prompt("weather?", ToolCallingChatOptions.builder().toolCallbacks(weather()).build()));

		assertThat(response.getResult().getOutput().getToolCalls()).singleElement().satisfies((call) -> {
			assertThat(call.name()).isEqualTo("get_weather");
			assertThat(call.arguments()).contains("Paris");
		});
		assertThat(this.toolRuns).as("tools are the caller's to run").hasValue(0);
		anthropic.verify(1, requestsFor("claude-x").withRequestBody(matchingJsonPath("$.tools[0].name", equalTo("get_weather")))
			.withRequestBody(matchingJsonPath("$.tools[0].input_schema.properties.city")));
	}

	@Test
	void whenAStreamedAnswerAsksForAToolThenTheToolCallArrivesAndTheStreamIsWhole() {
		anthropic.stubFor(messages("claude-x")
			.willReturn(AnthropicStubs.sseToolUse("claude-x", "toolu_1", "get_weather", "{\"city\":\"Paris\"}")));
		ResilientChatClient client = client();

		List<ChatResponse> chunks = client
			.stream(new Prompt("weather?", ToolCallingChatOptions.builder().toolCallbacks(weather()).build()))
			.collectList()
			.block(Duration.ofSeconds(10));

		assertThat(chunks).flatExtracting((chunk) -> chunk.getResult().getOutput().getToolCalls())
			.extracting(AssistantMessage.ToolCall::name)
			.containsExactly("get_weather");
		assertThat(client.circuitBreaker("claude").snapshot().successes()).isEqualTo(1);
		assertThat(this.toolRuns).hasValue(0);
		anthropic.verify(1, requestsFor("claude-x").withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
			.withHeader("X-AI-Fallback-Stream", absent()));
	}

}

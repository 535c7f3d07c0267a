package io.github.aifallback.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.ResilientChatClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.MessageChatMemoryAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.observation.ChatModelMeterObservationHandler;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

import static io.github.aifallback.sample.CompletionStubs.answer;
import static io.github.aifallback.sample.CompletionStubs.bodies;
import static io.github.aifallback.sample.CompletionStubs.call;
import static io.github.aifallback.sample.CompletionStubs.requestsFor;
import static io.github.aifallback.sample.CompletionStubs.serverError;
import static io.github.aifallback.sample.CompletionStubs.sse;
import static io.github.aifallback.sample.CompletionStubs.stream;
import static io.github.aifallback.sample.CompletionStubs.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring AI's {@code ChatClient.Builder}, tools, advisors and chat memory in an application
 * whose only Spring AI dependencies are this starter and {@code spring-ai-anthropic} (a model
 * library, not a starter): the sample itself, its chain pointed at a stub on 127.0.0.1.
 */
class StarterOnlyChatClientTests {

	private static final String PRIMARY = "primary-model";

	private static final String SECONDARY = "secondary-model";

	@RegisterExtension
	static WireMockExtension provider = CompletionStubs.provider();

	private static ConfigurableApplicationContext context;

	@BeforeAll
	static void startTheSample() {
		// The sample's providers point at ${sample.simulator.*}: the stub plays the simulator, and
		// one retry per entry makes a primary failure fall back at once (exact request counts).
		String baseUrl = CompletionStubs.baseUrl(provider);
		context = new SpringApplicationBuilder(SampleApplication.class).web(WebApplicationType.NONE)
			.run("--sample.simulator.enabled=false", "--sample.simulator.base-url=" + baseUrl,
					"--sample.simulator.anthropic-base-url=" + baseUrl, "--ai.fallback.retry.max-attempts=1",
					"--ai.fallback.chain[0].name=primary", "--ai.fallback.chain[0].model=" + PRIMARY,
					"--ai.fallback.chain[0].provider=simulator", "--ai.fallback.chain[1].name=secondary",
					"--ai.fallback.chain[1].model=" + SECONDARY, "--ai.fallback.chain[1].provider=simulator");
	}

	@AfterAll
	static void stopTheSample() {
		if (context != null) {
			context.close();
		}
	}

	@Test
	void whenOnlyTheStarterBringsSpringAiThenTheOnlyChatModelIsTheChainAndTheChatBeansExist() {
		assertThat(ClassUtils.isPresent("org.springframework.ai.model.openai.autoconfigure.OpenAiChatAutoConfiguration",
				getClass().getClassLoader()))
			.as("no Spring AI model starter on this classpath")
			.isFalse();
		assertThat(context.getBeansOfType(ChatModel.class).values()).singleElement()
			.isInstanceOf(ResilientChatClient.class);
		assertThat(context.getBeanProvider(ChatClient.Builder.class).getIfAvailable()).isNotNull();
		assertThat(context.getBeanProvider(ToolCallingManager.class).getIfAvailable()).isNotNull();
		assertThat(context.getBeanProvider(ChatModelMeterObservationHandler.class).getIfAvailable()).isNotNull();
		assertThat(context.getBean(ChatMemory.class)).isInstanceOf(MessageWindowChatMemory.class);
	}

	@Test
	void whenAutoConfiguredThenTheChainIsConfiguredBeforeSpringAisChatClient() {
		List<String> names = List.of(context.getBeanDefinitionNames());

		// Auto-configurations register their beans in the order Boot sorted them.
		assertThat(names.indexOf("io.github.aifallback.autoconfigure.FallbackAutoConfiguration")).isNotNegative()
			.isLessThan(names.indexOf("org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration"));
	}

	@Test
	void whenChatClientBuilderIsInjectedThenTheCallGoesThroughTheChain() {
		provider.stubFor(call(PRIMARY).willReturn(answer(PRIMARY, "from the chain")));

		ChatResponse response = chatClient().prompt().user("Hello").call().chatResponse();

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from the chain");
		assertThat(response.getMetadata().<Object>get(FallbackMetadata.SERVED_BY)).isEqualTo("primary");
		provider.verify(1, requestsFor(PRIMARY));
		provider.verify(0, requestsFor(SECONDARY));
	}

	@Test
	void whenACallGoesThroughTheChainThenSpringAisChatObservationRecordsItsTokens() {
		provider.stubFor(call(PRIMARY).willReturn(answer(PRIMARY, "observed")));
		MeterRegistry meters = context.getBean(MeterRegistry.class);
		double before = tokens(meters);

		chatClient().prompt().user("Hello").call().content();

		// The stub's usage says 12 tokens in all; the handler counts input, output and total.
		assertThat(tokens(meters) - before).isGreaterThanOrEqualTo(12);
	}

	@Test
	void whenAToolIsGivenThenItRunsOnceAndTheSecondRequestCarriesItsResult() {
		provider.stubFor(call(PRIMARY).inScenario("tool")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(toolCall(PRIMARY, "call_1", "weather", "{\"city\":\"Paris\"}"))
			.willSetStateTo("tool called"));
		provider.stubFor(call(PRIMARY).inScenario("tool")
			.whenScenarioStateIs("tool called")
			.willReturn(answer(PRIMARY, "Sunny and 21 degrees in Paris.")));
		WeatherTools tools = new WeatherTools();

		ChatResponse response = chatClient().prompt()
			.user("What is the weather in Paris?")
			.tools(tools)
			.call()
			.chatResponse();

		assertThat(response.getResult().getOutput().getText()).isEqualTo("Sunny and 21 degrees in Paris.");
		assertThat(response.getMetadata().<Object>get(FallbackMetadata.SERVED_BY)).isEqualTo("primary");
		assertThat(tools.cities).containsExactly("Paris");
		List<JsonNode> requests = bodies(provider, PRIMARY);
		assertThat(requests).hasSize(2);
		assertThat(requests.get(0).at("/tools/0/function/name").asString()).isEqualTo("weather");
		JsonNode toolResult = requests.get(1).path("messages").get(requests.get(1).path("messages").size() - 1);
		assertThat(toolResult.path("role").asString()).isEqualTo("tool");
		assertThat(toolResult.path("tool_call_id").asString()).isEqualTo("call_1");
		assertThat(text(toolResult.path("content"))).contains("sunny, 21 degrees in Paris");
		provider.verify(0, requestsFor(SECONDARY));
	}

	@Test
	void whenAnAdvisorIsAddedThenItWrapsTheChainsCallAndSeesWhoServed() {
		provider.stubFor(call(PRIMARY).willReturn(answer(PRIMARY, "advised")));
		CountingAdvisor advisor = new CountingAdvisor();

		String content = chatClient().prompt().user("Hello").advisors(advisor).call().content();

		assertThat(content).isEqualTo("advised");
		assertThat(advisor.calls).hasValue(1);
		assertThat(advisor.servedBy).containsExactly("primary");
		provider.verify(1, requestsFor(PRIMARY));
	}

	@Test
	void whenChatMemoryIsUsedThenTheSecondRequestCarriesTheFirstExchange() {
		provider.stubFor(call(PRIMARY).inScenario("memory")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(answer(PRIMARY, "Nice to meet you, Ada."))
			.willSetStateTo("introduced"));
		provider.stubFor(call(PRIMARY).inScenario("memory")
			.whenScenarioStateIs("introduced")
			.willReturn(answer(PRIMARY, "Your name is Ada.")));
		ChatClient chat = context.getBean(ChatClient.Builder.class)
			.defaultAdvisors(MessageChatMemoryAdvisor.builder(context.getBean(ChatMemory.class)).build())
			.build();

		chat.prompt()
			.user("My name is Ada.")
			.advisors((spec) -> spec.param(ChatMemory.CONVERSATION_ID, "ada"))
			.call()
			.content();
		String second = chat.prompt()
			.user("What is my name?")
			.advisors((spec) -> spec.param(ChatMemory.CONVERSATION_ID, "ada"))
			.call()
			.content();

		assertThat(second).isEqualTo("Your name is Ada.");
		List<JsonNode> requests = bodies(provider, PRIMARY);
		assertThat(requests).hasSize(2);
		assertThat(messages(requests.get(0))).containsExactly("user: My name is Ada.");
		assertThat(messages(requests.get(1))).containsExactly("user: My name is Ada.",
				"assistant: Nice to meet you, Ada.", "user: What is my name?");
	}

	@Test
	void whenThePrimaryFailsThenTheChatClientCallFallsBackToTheSecondary() {
		provider.stubFor(call(PRIMARY).willReturn(serverError()));
		provider.stubFor(call(SECONDARY).willReturn(answer(SECONDARY, "from the secondary")));

		ChatResponse response = chatClient().prompt().user("Hello").call().chatResponse();

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from the secondary");
		assertThat(response.getMetadata().<Object>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		provider.verify(1, requestsFor(PRIMARY));
		provider.verify(1, requestsFor(SECONDARY));
	}

	@Test
	void whenThePrimaryFailsThenTheChatClientStreamFallsBackToTheSecondary() {
		provider.stubFor(stream(PRIMARY).willReturn(serverError()));
		provider.stubFor(stream(SECONDARY).willReturn(sse(SECONDARY, "from ", "the ", "secondary")));

		List<String> tokens = chatClient().prompt().user("Hello").stream().content().collectList().block();

		assertThat(String.join("", tokens)).isEqualTo("from the secondary");
		provider.verify(1, requestsFor(PRIMARY));
		provider.verify(1, requestsFor(SECONDARY));
	}

	private static ChatClient chatClient() {
		return context.getBean(ChatClient.Builder.class).build();
	}

	private static double tokens(MeterRegistry meters) {
		return meters.find("gen_ai.client.token.usage").counters().stream().mapToDouble((counter) -> counter.count()).sum();
	}

	/** Each message of a request as {@code role: text}. */
	private static List<String> messages(JsonNode request) {
		List<String> messages = new ArrayList<>();
		request.path("messages")
			.forEach((message) -> messages.add(message.path("role").asString() + ": " + text(message.path("content"))));
		return messages;
	}

	/** A message's text, whether the SDK sent it as a string or as content parts. */
	private static String text(JsonNode content) {
		if (!content.isArray()) {
			return content.asString();
		}
		StringBuilder text = new StringBuilder();
		content.forEach((part) -> text.append(part.path("text").asString()));
		return text.toString();
	}

	static final class WeatherTools {

		final List<String> cities = new ArrayList<>();

		@Tool(name = "weather", description = "The weather now in a city")
		String weather(@ToolParam(description = "the city") String city) {
			this.cities.add(city);
			return "sunny, 21 degrees in " + city;
		}

	}

	/** Counts the calls it wraps and notes which chain entry served each. */
	static final class CountingAdvisor implements CallAdvisor, StreamAdvisor {

		final AtomicInteger calls = new AtomicInteger();

		final List<Object> servedBy = new ArrayList<>();

		@Override
		public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
			this.calls.incrementAndGet();
			ChatClientResponse response = chain.nextCall(request);
			this.servedBy.add(response.chatResponse().getMetadata().get(FallbackMetadata.SERVED_BY));
			return response;
		}

		@Override
		public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
			this.calls.incrementAndGet();
			return chain.nextStream(request);
		}

		@Override
		public String getName() {
			return "counting";
		}

		@Override
		public int getOrder() {
			return 0;
		}

	}

}

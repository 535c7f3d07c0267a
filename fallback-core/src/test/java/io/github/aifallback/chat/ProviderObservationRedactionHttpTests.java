package io.github.aifallback.chat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.anthropic.AnthropicEntryModel;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.prompt.Prompt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Issue 22, item 3: what the application's observation registry receives from the models the
 * starter builds (Spring AI's {@code gen_ai.client.operation} of a failed attempt, with the
 * SDK's exception) holds neither the prompt a provider's error body echoes nor the key.
 */
@org.junit.jupiter.api.extension.ExtendWith(CapturedLogs.class)
class ProviderObservationRedactionHttpTests {

	private static final String KEY = "sk-canary-observed-7f3a9c2e1d";

	private static final String PROMPT = "my secret plan for the merger with ACME";

	@RegisterExtension
	static WireMockExtension openAi = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension anthropic = AnthropicStubs.provider();

	private final List<Observation.Context> errors = new CopyOnWriteArrayList<>();

	private final ObservationRegistry registry = ObservationRegistry.create();

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(openAi);
		AnthropicStubs.warmUp(anthropic);
	}

	ProviderObservationRedactionHttpTests() {
		this.registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onError(Observation.Context context) {
				ProviderObservationRedactionHttpTests.this.errors.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
	}

	/** An error body that quotes the request's text and its key, as some gateways do. */
	private static String echo() {
		return "{\"error\":{\"message\":\"Invalid request: '" + PROMPT + "' with key " + KEY
				+ " is not allowed\",\"type\":\"invalid_request_error\",\"code\":\"bad_thing\"}}";
	}

	private ResilientChatClient client(EntryModel model) {
		return ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "m", model))
			.sleeper((duration) -> {
			})
			.observationRegistry(this.registry)
			.build();
	}

	@Test
	void whenAnOpenAiProviderEchoesThePromptAndKeyThenSpringAisObservationCarriesNeither() {
		openAi.stubFor(OpenAiStubs.completion("model-a")
			.willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(echo())));
		OpenAiEntryModel model = OpenAiEntryModel.builder()
			.baseUrl(OpenAiStubs.baseUrl(openAi))
			.apiKey(KEY)
			.model("model-a")
			.timeout(Duration.ofSeconds(5))
			.observationRegistry(this.registry)
			.build();

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> client(model).call(new Prompt(PROMPT)));

		assertObservedErrorsAreClean();
	}

	@Test
	void whenAnOpenAiStreamsProviderEchoesThePromptThenSpringAisObservationDoesNotCarryIt() {
		openAi.stubFor(OpenAiStubs.completion("model-a")
			.willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(echo())));
		OpenAiEntryModel model = OpenAiEntryModel.builder()
			.baseUrl(OpenAiStubs.baseUrl(openAi))
			.apiKey(KEY)
			.model("model-a")
			.timeout(Duration.ofSeconds(5))
			.observationRegistry(this.registry)
			.build();

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> client(model).stream(new Prompt(PROMPT)).blockLast());

		assertObservedErrorsAreClean();
	}

	@Test
	void whenAnAnthropicProviderEchoesThePromptAndKeyThenSpringAisObservationCarriesNeither() {
		anthropic.stubFor(AnthropicStubs.messages("claude-a")
			.willReturn(AnthropicStubs.error(400, "invalid_request_error",
					"Invalid request: '" + PROMPT + "' with key " + KEY + " is not allowed")));
		AnthropicEntryModel model = AnthropicEntryModel.builder()
			.baseUrl(AnthropicStubs.baseUrl(anthropic))
			.apiKey(KEY)
			.model("claude-a")
			.timeout(Duration.ofSeconds(5))
			.observationRegistry(this.registry)
			.build();

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> client(model).call(new Prompt(PROMPT)));

		assertObservedErrorsAreClean();
	}

	@Test
	void whenAStreamFailsWithoutBootThenSpringAisMessageAggregatorLogsNeitherThePromptNorTheKey(CapturedLogs logs) {
		openAi.stubFor(OpenAiStubs.completion("model-a")
			.willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(echo())));
		anthropic.stubFor(AnthropicStubs.messages("claude-a")
			.willReturn(AnthropicStubs.error(400, "invalid_request_error",
					"Invalid request: '" + PROMPT + "' with key " + KEY + " is not allowed")));
		ResilientChatClient chain = ResilientChatClient.builder()
			.entry(ChainEntry.of("openai", "m",
					OpenAiEntryModel.create(OpenAiStubs.baseUrl(openAi), KEY, "model-a", Duration.ofSeconds(5))))
			.entry(ChainEntry.of("anthropic", "m",
					AnthropicEntryModel.create(AnthropicStubs.baseUrl(anthropic), KEY, "claude-a", Duration.ofSeconds(5))))
			.sleeper((duration) -> {
			})
			.build();

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> chain.stream(new Prompt(PROMPT)).blockLast());

		assertThat(logs.toString()).isNotEmpty().doesNotContain(PROMPT).doesNotContain(KEY);
	}

	private void assertObservedErrorsAreClean() {
		assertThat(this.errors).as("observations that recorded an error")
			.anySatisfy((context) -> assertThat(context.getName()).isEqualTo("gen_ai.client.operation"));
		for (Observation.Context context : this.errors) {
			StringWriter trace = new StringWriter();
			context.getError().printStackTrace(new PrintWriter(trace));
			assertThat(trace.toString()).as(context.getName()).doesNotContain(PROMPT).doesNotContain(KEY);
		}
	}

}

package io.github.aifallback.chat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.anthropic.AnthropicEntryModel;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.event.AttemptFailedEvent;
import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.failure.ErrorSanitizer;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.failure.ProviderErrorException;
import io.github.aifallback.chat.model.ChatModelEntryModel;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.github.aifallback.chat.Throwables.everyThrowable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Issue 22, item 3, the remaining holes: a provider that fails <em>inside</em> a 200 stream
 * (OpenAI's {@code data: {"error":...}} chunk, Anthropic's {@code event: error}) and an entry
 * that is the application's own {@code ChatModel}. Over real HTTP with the real Spring AI
 * clients, every observation the application's registry receives (Spring AI's
 * {@code gen_ai.client.operation} and HTTP ones, the chain's {@code ai.fallback.*}), every
 * event, log line, exception and the metadata carry neither the prompt the provider echoes,
 * nor the key, nor the credential it quotes.
 */
@ExtendWith(CapturedLogs.class)
class StreamErrorEventRedactionHttpTests {

	private static final String KEY = "sk-canary-stream-5e8b1f0a9c";

	private static final String PROMPT = "the board's confidential plan for the Zeta acquisition";

	/** What a provider quotes that looks like a credential, though it is not the key. */
	private static final String QUOTED_TOKEN = "tok_quoted_4f1e2d3c";

	@RegisterExtension
	static WireMockExtension openAi = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension anthropic = AnthropicStubs.provider();

	@RegisterExtension
	static WireMockExtension fallback = OpenAiStubs.provider();

	private final List<Observation.Context> observed = new CopyOnWriteArrayList<>();

	private final List<FallbackEvent> events = new CopyOnWriteArrayList<>();

	private final ObservationRegistry registry = ObservationRegistry.create();

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(openAi);
		AnthropicStubs.warmUp(anthropic);
		OpenAiStubs.warmUp(fallback);
	}

	StreamErrorEventRedactionHttpTests() {
		this.registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStart(Observation.Context context) {
				StreamErrorEventRedactionHttpTests.this.observed.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
	}

	/** What the provider says went wrong: the prompt, the key and a token, quoted. */
	private static String providerMessage() {
		return "Upstream failed while answering '" + PROMPT + "' for key " + KEY + " (authorization: Bearer "
				+ QUOTED_TOKEN + ")";
	}

	private static String json(String text) {
		return text.replace("\\", "\\\\").replace("\"", "\\\"");
	}

	/** An OpenAI 200 stream whose first chunk is an error. */
	private static ResponseDefinitionBuilder openAiErrorChunk() {
		return aResponse().withStatus(200)
			.withHeader("Content-Type", "text/event-stream")
			.withBody("data: {\"error\":{\"message\":\"" + json(providerMessage())
					+ "\",\"type\":\"server_error\",\"param\":null,\"code\":\"upstream_failed\"}}\n\n");
	}

	private ResilientChatClient chain(EntryModel primary) {
		return ResilientChatClient.builder()
			.entry(new ChainEntry("primary", "m", primary, null, 1))
			.entry(new ChainEntry("fallback", "model-b", OpenAiEntryModel.create(OpenAiStubs.baseUrl(fallback),
					"fallback-key", "model-b", Duration.ofSeconds(10)), null, 1))
			.sleeper((duration) -> {
			})
			.listener(this.events::add)
			.observationRegistry(this.registry)
			.build();
	}

	@Test
	void whenAnOpenAiStreamCarriesAnErrorChunkEchoingThePromptThenNoObservationLogOrEventCarriesIt(CapturedLogs logs) {
		openAi.stubFor(OpenAiStubs.completion("model-a").willReturn(openAiErrorChunk()));
		fallback.stubFor(OpenAiStubs.completion("model-b").willReturn(OpenAiStubs.sse("model-b", "from ", "B")));

		List<ChatResponse> chunks = chain(openAiPrimary()).stream(new Prompt(PROMPT)).collectList().block();

		assertServedCleanlyByTheFallback(chunks, logs);
	}

	@Test
	void whenAnAnthropicStreamCarriesAnErrorEventEchoingThePromptThenNoObservationLogOrEventCarriesIt(
			CapturedLogs logs) {
		anthropic.stubFor(AnthropicStubs.messages("claude-a")
			.willReturn(AnthropicStubs.errorEvent("claude-a", "api_error", json(providerMessage()))));
		fallback.stubFor(OpenAiStubs.completion("model-b").willReturn(OpenAiStubs.sse("model-b", "from ", "B")));

		List<ChatResponse> chunks = chain(anthropicPrimary()).stream(new Prompt(PROMPT)).collectList().block();

		assertServedCleanlyByTheFallback(chunks, logs);
	}

	@Test
	void whenEveryStreamCarriesAnErrorEventThenTheExceptionCarriesOnlyTheSanitizedForm() {
		anthropic.stubFor(AnthropicStubs.messages("claude-a")
			.willReturn(AnthropicStubs.errorEvent("claude-a", "api_error", json(providerMessage()))));
		fallback.stubFor(OpenAiStubs.completion("model-b").willReturn(openAiErrorChunk()));

		AllModelsFailedException failed = catchThrowableOfType(AllModelsFailedException.class,
				() -> chain(anthropicPrimary()).stream(new Prompt(PROMPT)).blockLast());

		assertThat(failed.getAttempts()).extracting(AttemptRecord::kind)
			.containsExactly(FailureKind.SERVER_ERROR, FailureKind.SERVER_ERROR);
		assertThat(failed.getCause()).isInstanceOf(ProviderErrorException.class);
		assertThat(((ProviderErrorException) failed.getCause()).getErrorCode()).isEqualTo("upstream_failed");
		for (Throwable t : everyThrowable(failed)) {
			assertClean(stackTrace(t));
		}
		assertNothingObservedCarriesWhatTheProviderEchoed();
	}

	/**
	 * The application's own {@code ChatModel} (the real Spring AI OpenAI client, built by the
	 * application, observed in a registry of its own that the chain never sees): its raw
	 * exception is its business, but nothing the chain records quotes it.
	 */
	@Test
	void whenTheApplicationsOwnChatModelFailsEchoingThePromptThenNothingTheChainRecordsCarriesIt(CapturedLogs logs) {
		openAi.stubFor(OpenAiStubs.completion("model-a")
			.willReturn(aResponse().withStatus(500)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"error\":{\"message\":\"" + json(providerMessage())
						+ "\",\"type\":\"server_error\",\"param\":null,\"code\":\"upstream_failed\"}}")));
		fallback.stubFor(OpenAiStubs.completion("model-b").willReturn(OpenAiStubs.answer("model-b", "from B")));
		OpenAiChatModel applicationsModel = OpenAiChatModel.builder()
			.options(OpenAiChatOptions.builder()
				.baseUrl(OpenAiStubs.baseUrl(openAi))
				.apiKey(KEY)
				.model("model-a")
				.maxRetries(0)
				.build())
			.build();

		ChatResponse served = chain(ChatModelEntryModel.of(applicationsModel)).call(new Prompt(PROMPT));
		AllModelsFailedException failed = catchThrowableOfType(AllModelsFailedException.class,
				() -> ResilientChatClient.builder()
					.entry(new ChainEntry("primary", "m", ChatModelEntryModel.of(applicationsModel), null, 1))
					.listener(this.events::add)
					.observationRegistry(this.registry)
					.build()
					.call(new Prompt(PROMPT)));

		assertThat(served.getResult().getOutput().getText()).isEqualTo("from B");
		assertThat(served.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("fallback");
		assertClean(String.valueOf(served.getMetadata().<Object>get(FallbackMetadata.FAILED_ATTEMPTS)));
		assertClean(String.valueOf(served.getMetadata().<Object>get(FallbackMetadata.FAILED_ATTEMPT_RECORDS)));
		assertThat(failed.getAttempts()).hasSize(1);
		for (Throwable t : everyThrowable(failed)) {
			assertClean(stackTrace(t));
		}
		assertThat(this.observed).extracting(Observation.Context::getName).contains("ai.fallback.call",
				"ai.fallback.attempt");
		assertNothingObservedCarriesWhatTheProviderEchoed();
		assertThat(this.events).filteredOn(AttemptFailedEvent.class::isInstance).hasSize(2);
		assertNoEventCarriesWhatTheProviderEchoed();
		String ours = logs.toString()
			.lines()
			.filter((line) -> line.contains("io.github.aifallback"))
			.reduce("", (a, b) -> a + b + "\n");
		assertThat(ours).contains("attempt 1/1 on 'primary' failed");
		assertClean(ours);
	}

	private OpenAiEntryModel openAiPrimary() {
		return OpenAiEntryModel.builder()
			.baseUrl(OpenAiStubs.baseUrl(openAi))
			.apiKey(KEY)
			.model("model-a")
			.timeout(Duration.ofSeconds(10))
			.observationRegistry(this.registry)
			.build();
	}

	private AnthropicEntryModel anthropicPrimary() {
		return AnthropicEntryModel.builder()
			.baseUrl(AnthropicStubs.baseUrl(anthropic))
			.apiKey(KEY)
			.model("claude-a")
			.timeout(Duration.ofSeconds(10))
			.observationRegistry(this.registry)
			.build();
	}

	/** The fallback served, and nothing observed, published or logged carries the echo. */
	private void assertServedCleanlyByTheFallback(List<ChatResponse> chunks, CapturedLogs logs) {
		assertServedByTheFallbackAfterAServerError(chunks);
		assertSpringAiRecordedTheFailure();
		assertNothingObservedCarriesWhatTheProviderEchoed();
		assertNoEventCarriesWhatTheProviderEchoed();
		assertThat(logs.toString()).contains("SERVER_ERROR");
		assertClean(logs.toString());
	}

	private void assertServedByTheFallbackAfterAServerError(List<ChatResponse> chunks) {
		assertThat(chunks).isNotEmpty();
		ChatResponse last = chunks.get(chunks.size() - 1);
		assertThat(last.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("fallback");
		assertThat(last.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.startsWith("primary attempt 1/1: SERVER_ERROR");
	}

	/** The redaction did not hide the failure: Spring AI's observation still holds it. */
	private void assertSpringAiRecordedTheFailure() {
		assertThat(this.observed).anySatisfy((context) -> {
			assertThat(context.getName()).isEqualTo("gen_ai.client.operation");
			assertThat(context.getError()).isNotNull();
			assertThat(stackTrace(context.getError())).contains("Upstream failed").contains(ErrorSanitizer.REDACTED);
		});
	}

	private void assertNothingObservedCarriesWhatTheProviderEchoed() {
		assertThat(this.observed).isNotEmpty();
		for (Observation.Context context : this.observed) {
			StringBuilder seen = new StringBuilder(context.getName()).append(' ')
				.append(context.getContextualName())
				.append('\n');
			for (KeyValue keyValue : context.getAllKeyValues()) {
				seen.append(keyValue.getKey()).append('=').append(keyValue.getValue()).append('\n');
			}
			if (context.getError() != null) {
				seen.append(stackTrace(context.getError()));
			}
			assertClean(seen.toString());
		}
	}

	private void assertNoEventCarriesWhatTheProviderEchoed() {
		assertThat(this.events).isNotEmpty();
		for (FallbackEvent event : this.events) {
			assertClean(event.toString());
		}
	}

	private static void assertClean(String text) {
		assertThat(text).doesNotContain(PROMPT).doesNotContain(KEY).doesNotContain(QUOTED_TOKEN);
	}

	private static String stackTrace(Throwable t) {
		StringWriter trace = new StringWriter();
		t.printStackTrace(new PrintWriter(trace));
		return trace.toString();
	}

}

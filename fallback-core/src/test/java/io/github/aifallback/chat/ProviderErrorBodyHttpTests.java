package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.failure.ProviderErrorException;
import io.github.aifallback.chat.openai.OpenAiEntryModel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static io.github.aifallback.chat.Throwables.everyThrowable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Provider error bodies never reach exceptions or logs raw, over real HTTP with the real
 * client: an 8 MiB body is bounded before anything reads it, and a body echoing the key
 * and the prompt leaves neither in the exception, its causes, nor the log.
 */
@ExtendWith(CapturedLogs.class)
class ProviderErrorBodyHttpTests {

	private static final String KEY = "gw-live-0123456789abcdef";

	private static final String PROMPT = "Summarise the merger terms for ACME Corp";

	private static final int EIGHT_MIB = 8 * 1024 * 1024;

	@RegisterExtension
	static WireMockExtension primary = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension secondary = OpenAiStubs.provider();

	private static OpenAiEntryModel primaryModel;

	private static OpenAiEntryModel secondaryModel;

	@BeforeAll
	static void entryModels() {
		OpenAiStubs.warmUp(primary);
		primaryModel = OpenAiEntryModel.create(baseUrl(primary), KEY, "model-a", Duration.ofSeconds(10));
		secondaryModel = OpenAiEntryModel.create(baseUrl(secondary), KEY, "model-b", Duration.ofSeconds(10));
	}

	private static ResilientChatClient chain() {
		return ResilientChatClient.builder()
			.entry(new ChainEntry("primary", "model-a", primaryModel, null, 1))
			.entry(new ChainEntry("secondary", "model-b", secondaryModel, null, 1))
			.timeout(Duration.ofSeconds(10))
			.deadline(Duration.ofSeconds(30))
			.sleeper((wait) -> {
			})
			.build();
	}

	private static ResponseDefinitionBuilder eightMebibytes(int status) {
		return aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"error\":{\"message\":\"" + "x".repeat(EIGHT_MIB) + "\",\"type\":\"server_error\"}}");
	}

	private static ResponseDefinitionBuilder echoingKeyAndPrompt() {
		return aResponse().withStatus(401)
			.withHeader("Content-Type", "application/json")
			// The key is quoted where no credential pattern would spot it: only knowing the
			// request's own key redacts it.
			.withBody("{\"error\":{\"message\":\"The credential " + KEY + " is not valid here. Request was: " + PROMPT
					+ "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\",\"param\":\"" + KEY + "\"}}");
	}

	@Test
	void whenTheErrorBodyIsEightMebibytesThenTheNextEntryServesAndTheFailureIsClassified() {
		primary.stubFor(completion("model-a").willReturn(eightMebibytes(500)));
		secondary.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));

		ChatResponse response = chain().call(new Prompt("hello"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.startsWith("primary attempt 1/1: SERVER_ERROR (HTTP 500)");
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenAnErrorBodyNeverEndsThenOnlyItsHeadIsReadAndTheNextEntryServes() throws Exception {
		secondary.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		try (EndlessErrorServer endless = new EndlessErrorServer()) {
			OpenAiEntryModel endlessModel = OpenAiEntryModel.create(endless.baseUrl(), KEY, "model-a",
					Duration.ofSeconds(3));
			ResilientChatClient client = ResilientChatClient.builder()
				.entry(new ChainEntry("primary", "model-a", endlessModel, null, 1))
				.entry(new ChainEntry("secondary", "model-b", secondaryModel, null, 1))
				.deadline(Duration.ofSeconds(30))
				.build();
			long started = System.nanoTime();

			ChatResponse response = client.call(new Prompt("hello"));

			// Reading the body whole would end in the 3 s timeout, a TIMEOUT or CONNECTION.
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
			assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
				.asString()
				.startsWith("primary attempt 1/1: SERVER_ERROR (HTTP 500)");
			assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
			assertThat(endless.requests).hasValue(1);
			secondary.verify(1, requestsFor("model-b"));
		}
	}

	@Test
	void whenEveryErrorBodyIsEightMebibytesThenTheExceptionAndTheLogAreBounded(CapturedLogs output) {
		primary.stubFor(completion("model-a").willReturn(eightMebibytes(500)));
		secondary.stubFor(completion("model-b").willReturn(eightMebibytes(400)));

		AllModelsFailedException failed = catchThrowableOfType(AllModelsFailedException.class,
				() -> chain().call(new Prompt("hello")));

		assertThat(failed.getAttempts()).extracting(AttemptRecord::kind)
			.containsExactly(FailureKind.SERVER_ERROR, FailureKind.BAD_REQUEST);
		for (Throwable t : everyThrowable(failed)) {
			assertThat(String.valueOf(t.getMessage())).hasSizeLessThan(2 * 1024);
			assertThat(t.toString()).hasSizeLessThan(3 * 1024);
		}
		assertThat(output.toString()).doesNotContain("x".repeat(1024));
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenAnErrorBodyEchoesTheKeyAndThePromptThenNeitherReachesTheExceptionNorTheLog(CapturedLogs output) {
		primary.stubFor(completion("model-a").willReturn(echoingKeyAndPrompt()));
		secondary.stubFor(completion("model-b").willReturn(echoingKeyAndPrompt()));

		AllModelsFailedException failed = catchThrowableOfType(AllModelsFailedException.class,
				() -> chain().call(new Prompt(PROMPT)));

		assertThat(failed.getAttempts()).extracting(AttemptRecord::kind)
			.containsExactly(FailureKind.AUTH, FailureKind.AUTH);
		// Holds once CallContext attaches ErrorSanitizer's copy as the cause (the key alone is
		// already redacted by BoundedErrorBodies before the SDK reads the body).
		assertNeitherKeyNorPrompt(failed);
		assertThat(failed.getCause()).isInstanceOf(ProviderErrorException.class);
		assertThat(((ProviderErrorException) failed.getCause()).getStatus()).isEqualTo(401);
		assertThat(((ProviderErrorException) failed.getCause()).getErrorCode()).isEqualTo("invalid_api_key");
		assertThat(output.toString()).contains("AUTH (HTTP 401)").doesNotContain(KEY).doesNotContain(PROMPT);
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenAStreamsErrorBodyEchoesTheKeyAndThePromptThenNeitherReachesTheException() {
		primary.stubFor(completion("model-a").willReturn(echoingKeyAndPrompt()));
		secondary.stubFor(completion("model-b").willReturn(echoingKeyAndPrompt()));

		AllModelsFailedException failed = catchThrowableOfType(AllModelsFailedException.class,
				() -> chain().stream(new Prompt(PROMPT)).collectList().block());

		assertThat(failed.getAttempts()).extracting(AttemptRecord::kind)
			.containsExactly(FailureKind.AUTH, FailureKind.AUTH);
		assertNeitherKeyNorPrompt(failed);
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
	}

	private static void assertNeitherKeyNorPrompt(Throwable failed) {
		for (Throwable t : everyThrowable(failed)) {
			assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY).doesNotContain(PROMPT);
			assertThat(t.toString()).doesNotContain(KEY).doesNotContain(PROMPT);
		}
	}

}

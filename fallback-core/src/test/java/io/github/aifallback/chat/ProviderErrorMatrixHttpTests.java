package io.github.aifallback.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.openai.OpenAiEntryModel;

import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error body shape real providers and gateways send, with every common error status,
 * through the real client over real HTTP: the failure is classified (never thrown out of
 * the chain) and the next entry serves, blocking and streaming.
 */
class ProviderErrorMatrixHttpTests {

	private static final int[] STATUSES = { 400, 401, 404, 429, 500, 503 };

	@RegisterExtension
	static WireMockExtension primary = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension secondary = OpenAiStubs.provider();

	// The entry models (and their HTTP clients) are shared by every case; each case builds
	// its own chain, so that no circuit carries over from one case to the next.
	private static OpenAiEntryModel primaryModel;

	private static OpenAiEntryModel secondaryModel;

	private final List<Duration> waits = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void entryModels() {
		OpenAiStubs.warmUp(primary);
		primaryModel = OpenAiEntryModel.create(baseUrl(primary), "test-key", "model-a", Duration.ofSeconds(5));
		secondaryModel = OpenAiEntryModel.create(baseUrl(secondary), "test-key", "model-b", Duration.ofSeconds(5));
	}

	static Stream<Arguments> cases() {
		List<Arguments> cases = new ArrayList<>();
		for (ErrorBodyShape shape : ErrorBodyShape.values()) {
			for (int status : STATUSES) {
				cases.add(Arguments.of(shape, status, null, expected(status, null)));
			}
			for (ErrorBodyShape.Marker marker : ErrorBodyShape.Marker.values()) {
				int status = (marker == ErrorBodyShape.Marker.QUOTA) ? 429 : 400;
				if (shape.body(status, marker) != null) {
					cases.add(Arguments.of(shape, status, marker, expected(status, marker)));
				}
			}
		}
		return cases.stream();
	}

	private static FailureKind expected(int status, ErrorBodyShape.Marker marker) {
		return switch (status) {
			case 400 -> (marker == ErrorBodyShape.Marker.CONTEXT) ? FailureKind.CONTEXT_TOO_LONG : FailureKind.BAD_REQUEST;
			case 401 -> FailureKind.AUTH;
			case 404 -> FailureKind.MODEL_NOT_FOUND;
			case 429 -> (marker == ErrorBodyShape.Marker.QUOTA) ? FailureKind.QUOTA_EXHAUSTED : FailureKind.RATE_LIMITED;
			default -> FailureKind.SERVER_ERROR;
		};
	}

	private ResilientChatClient chain() {
		return ResilientChatClient.builder()
			.entry(new ChainEntry("primary", "model-a", primaryModel, null, 1))
			.entry(new ChainEntry("secondary", "model-b", secondaryModel, null, 1))
			.timeout(Duration.ofSeconds(5))
			.deadline(Duration.ofSeconds(20))
			.sleeper(this.waits::add)
			.build();
	}

	@ParameterizedTest(name = "{0} {1} {2} -> {3}")
	@MethodSource("cases")
	void whenTheCallMeetsAnErrorOfAnyShapeThenTheNextEntryServesWithTheRightKind(ErrorBodyShape shape, int status,
			ErrorBodyShape.Marker marker, FailureKind kind) {
		primary.stubFor(completion("model-a").willReturn(shape.response(status, marker)));
		secondary.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));

		ChatResponse response = chain().call(new Prompt("hello"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
		assertServedAfter(response, status, kind);
	}

	@ParameterizedTest(name = "{0} {1} {2} -> {3}")
	@MethodSource("cases")
	void whenTheStreamMeetsAnErrorOfAnyShapeThenTheNextEntryStreamsWithTheRightKind(ErrorBodyShape shape, int status,
			ErrorBodyShape.Marker marker, FailureKind kind) {
		primary.stubFor(completion("model-a").willReturn(shape.response(status, marker)));
		secondary.stubFor(completion("model-b").willReturn(OpenAiStubs.sse("model-b", "from ", "B")));

		List<ChatResponse> chunks = chain().stream(new Prompt("hello")).collectList().block();

		assertThat(chunks).isNotEmpty()
			.allSatisfy((chunk) -> assertThat(chunk.getMetadata().<String>get(FallbackMetadata.SERVED_BY))
				.isEqualTo("secondary"));
		assertThat(ErrorBodyStubs.text(chunks)).isEqualTo("from B");
		assertServedAfter(chunks.get(0), status, kind);
	}

	private void assertServedAfter(ChatResponse response, int status, FailureKind kind) {
		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("secondary");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.startsWith("primary attempt 1/1: " + kind + " (HTTP " + status + ")");
		assertThat(this.waits).isEmpty();
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.tool.function.FunctionToolCallback;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.util.MimeTypeUtils;

import io.github.aifallback.chat.openai.OpenAiEntryModel;

import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.error;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Entries that declare capabilities or a context window are skipped, with no request at
 * all, for a request they cannot serve; a context too long moves on to a larger window.
 */
@ExtendWith(CapturedLogs.class)
class CapabilityChainHttpTests {

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(provider);
	}

	private static ChainEntry entry(String name) {
		return ChainEntry.of(name, name,
				OpenAiEntryModel.create(baseUrl(provider), "test-key", name, Duration.ofSeconds(5)));
	}

	private static ResilientChatClient chain(ChainEntry... entries) {
		return ResilientChatClient.builder().entries(List.of(entries)).sleeper((wait) -> {
		}).build();
	}

	private static ResilientChatClient textOnlyThenUnknown() {
		provider.stubFor(completion("fallback").willReturn(answer("fallback", "served")));
		return chain(entry("text-only").withCapabilities(Set.of()), entry("fallback"));
	}

	private static void assertSkippedAndServed(ChatResponse response, String reason) {
		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("fallback");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.SKIPPED)).singleElement()
			.asString()
			.startsWith("text-only: ")
			.contains(reason);
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).isEmpty();
		provider.verify(0, requestsFor("text-only"));
		provider.verify(1, requestsFor("fallback"));
	}

	private static ToolCallingChatOptions withTool() {
		return ToolCallingChatOptions.builder()
			.toolCallbacks(FunctionToolCallback.builder("weather", (String city) -> "sunny")
				.description("The weather in a city")
				.inputType(String.class)
				.build())
			.build();
	}

	@Test
	void whenTheRequestHasToolsThenAnEntryWithoutToolsIsSkippedWithoutARequest() {
		ChatResponse response = textOnlyThenUnknown().call(new Prompt("weather in Paris?", withTool()));

		assertSkippedAndServed(response, "needs tools");
	}

	@Test
	void whenTheRequestHasAnImageThenAnEntryWithoutVisionIsSkipped() {
		Prompt prompt = new Prompt(UserMessage.builder()
			.text("what is this?")
			.media(new Media(MimeTypeUtils.IMAGE_PNG, new ByteArrayResource(new byte[] { 1, 2, 3 })))
			.build());

		assertSkippedAndServed(textOnlyThenUnknown().call(prompt), "needs vision");
	}

	@Test
	void whenTheRequestSetsAJsonSchemaThenAnEntryWithoutJsonSchemaIsSkipped() {
		Prompt prompt = new Prompt("a city as JSON",
				OpenAiChatOptions.builder().outputSchema("{\"type\":\"object\",\"properties\":{}}").build());

		assertSkippedAndServed(textOnlyThenUnknown().call(prompt), "needs json-schema");
	}

	@Test
	void whenTheEntryDeclaresTheCapabilityThenItServes() {
		provider.stubFor(completion("tools").willReturn(answer("tools", "served")));
		ResilientChatClient client = chain(entry("tools").withCapabilities(Set.of(Capability.TOOLS)),
				entry("fallback"));

		ChatResponse response = client.call(new Prompt("weather in Paris?", withTool()));

		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("tools");
		assertThat(response.getMetadata().containsKey(FallbackMetadata.SKIPPED)).isFalse();
		provider.verify(1, requestsFor("tools"));
	}

	@Test
	void whenTheEstimatedPromptExceedsTheWindowThenTheEntryIsSkipped(CapturedLogs output) {
		provider.stubFor(completion("fallback").willReturn(answer("fallback", "served")));
		ResilientChatClient client = chain(entry("text-only").withContextWindow(100), entry("fallback"));

		ChatResponse response = client.call(new Prompt("x".repeat(400)));

		// 400 chars / 4 + 4 per message = 104, times 1.1 = 115 tokens > 100.
		assertSkippedAndServed(response, "the prompt's estimated 115 tokens exceed its context window of 100");
	}

	@Test
	void whenTheContextIsTooLongThenTheNextLargerWindowServesAndAnEqualOneIsSkipped() {
		provider.stubFor(completion("small").willReturn(error(400, "invalid_request_error", "context_length_exceeded")));
		provider.stubFor(completion("same-size").willReturn(answer("same-size", "never")));
		provider.stubFor(completion("unknown").willReturn(answer("unknown", "served")));
		ResilientChatClient client = chain(entry("small").withContextWindow(8000),
				entry("same-size").withContextWindow(8000), entry("unknown"));

		ChatResponse response = client.call(new Prompt("hello"));

		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("unknown");
		assertThat(response.getMetadata().<List<String>>get(FallbackMetadata.SKIPPED)).singleElement()
			.asString()
			.startsWith("same-size: its context window of 8000 is no larger");
		provider.verify(1, requestsFor("small"));
		provider.verify(0, requestsFor("same-size"));
		provider.verify(1, requestsFor("unknown"));
	}

	@Test
	void whenTheContextIsTooLongThenAnEntryWithALargerWindowIsTried() {
		provider.stubFor(completion("small").willReturn(error(400, "invalid_request_error", "context_length_exceeded")));
		provider.stubFor(completion("large").willReturn(answer("large", "served")));
		ResilientChatClient client = chain(entry("small").withContextWindow(8000),
				entry("large").withContextWindow(128000));

		assertThat(client.call(new Prompt("hello")).getMetadata().<String>get(FallbackMetadata.SERVED_BY))
			.isEqualTo("large");
		provider.verify(1, requestsFor("small"));
		provider.verify(1, requestsFor("large"));
	}

	@Test
	void whenEveryEntryIsSkippedThenAllModelsFailedSaysNoEntryCanServe() {
		ResilientChatClient client = chain(entry("a").withCapabilities(Set.of()),
				entry("b").withCapabilities(Set.of(Capability.VISION)));

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> client.call(new Prompt("weather?", withTool())))
			.withMessageContaining("no entry can serve this request")
			.withMessageContaining("a: the request needs tools")
			.satisfies((ex) -> assertThat(ex.getAttempts()).isEmpty());
		provider.verify(0, requestsFor("a"));
		provider.verify(0, requestsFor("b"));
	}

	@Test
	void whenAStreamHasToolsThenAnEntryWithoutToolsIsSkipped() {
		provider.stubFor(completion("fallback").willReturn(OpenAiStubs.sse("fallback", "ser", "ved")));
		ResilientChatClient client = chain(entry("text-only").withCapabilities(Set.of()), entry("fallback"));

		List<ChatResponse> chunks = client.stream(new Prompt("weather in Paris?", withTool())).collectList().block();

		ChatResponse last = chunks.get(chunks.size() - 1);
		assertThat(last.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("fallback");
		assertThat(last.getMetadata().<List<String>>get(FallbackMetadata.SKIPPED)).singleElement()
			.asString()
			.startsWith("text-only: the request needs tools");
		provider.verify(0, requestsFor("text-only"));
		provider.verify(1, requestsFor("fallback"));
	}

	@Test
	void whenNoEntryDeclaresAnythingThenNothingIsSkippedAndNoMetadataIsAdded() {
		provider.stubFor(completion("first").willReturn(answer("first", "served")));

		ChatResponse response = chain(entry("first"), entry("fallback")).call(new Prompt("weather?", withTool()));

		assertThat(response.getMetadata().containsKey(FallbackMetadata.SKIPPED)).isFalse();
		provider.verify(1, requestsFor("first"));
	}

}

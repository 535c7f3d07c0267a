package io.github.aifallback.chat;

import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.anthropic.AnthropicEntryModel;
import io.github.aifallback.chat.openai.OpenAiEntryModel;

/**
 * A chain across three vendors, each through its real Spring AI client against its own
 * emulated provider: OpenAI ("openai", model gpt-a), then Anthropic ("anthropic",
 * claude-a), then an Ollama {@code ChatModel} bean ("ollama", llama-a); one attempt each.
 */
final class ThreeVendors {

	private ThreeVendors() {
	}

	static void warmUp(WireMockExtension openAi, WireMockExtension anthropic, WireMockExtension ollama) {
		OpenAiStubs.warmUp(openAi);
		AnthropicStubs.warmUp(anthropic);
		OllamaStubs.warmUp(ollama);
	}

	static ResilientChatClient.Builder chain(WireMockExtension openAi, WireMockExtension anthropic,
			WireMockExtension ollama) {
		return ResilientChatClient.builder()
			.entry(new ChainEntry("openai", "gpt-a",
					OpenAiEntryModel.create(OpenAiStubs.baseUrl(openAi), "openai-key", "gpt-a", Duration.ofSeconds(5)),
					null, 1))
			.entry(new ChainEntry("anthropic", "claude-a", AnthropicEntryModel
				.create(AnthropicStubs.baseUrl(anthropic), "anthropic-key", "claude-a", Duration.ofSeconds(5)), null, 1))
			.entry(new ChainEntry("ollama", "llama-a", OllamaStubs.entryModel(OllamaStubs.baseUrl(ollama), "llama-a"),
					null, 1));
	}

}

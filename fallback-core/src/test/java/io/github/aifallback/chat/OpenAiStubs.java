package io.github.aifallback.chat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

import io.github.aifallback.chat.openai.OpenAiEntryModel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * WireMock helpers that play an OpenAI-compatible provider on 127.0.0.1.
 */
public final class OpenAiStubs {

	public static final String PATH = "/v1/chat/completions";

	private OpenAiStubs() {
	}

	/** A provider on 127.0.0.1, on a port the OS chooses. */
	public static WireMockExtension provider() {
		return WireMockExtension.newInstance()
			.options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
			.build();
	}

	/** The base URL of a provider, version path included, as Spring AI 2.0 wants it. */
	public static String baseUrl(WireMockExtension provider) {
		return "http://127.0.0.1:" + provider.getPort() + "/v1";
	}

	/**
	 * One real call and one real stream through the SDK with generous timeouts, so that the
	 * JVM's first request (which spends about a second loading the SDK, Spring AI and OkHttp
	 * classes) is not one of the short-timeout requests under test.
	 */
	public static void warmUp(WireMockExtension provider) {
		provider.stubFor(completion("warm-up").willReturn(answer("warm-up", "ready")));
		OpenAiEntryModel model = OpenAiEntryModel.create(baseUrl(provider), "k", "warm-up",
				java.time.Duration.ofSeconds(30));
		model.call(new org.springframework.ai.chat.prompt.Prompt("warm up"), java.time.Duration.ofSeconds(30));
		provider.stubFor(completion("warm-up").willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/event-stream")
			.withBody("data: {\"id\":\"w\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"warm-up\","
					+ "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ready\"},\"finish_reason\":\"stop\"}]}\n\n"
					+ "data: [DONE]\n\n")));
		model.stream(new org.springframework.ai.chat.prompt.Prompt("warm up"), java.time.Duration.ofSeconds(30))
			.blockLast();
		provider.resetAll();
	}

	/** Chat completion requests for one model. */
	public static MappingBuilder completion(String model) {
		return post(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model)));
	}

	/** What a provider received for one model, to count. */
	public static RequestPatternBuilder requestsFor(String model) {
		return postRequestedFor(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model)));
	}

	/** A successful chat completion saying {@code text}. */
	public static ResponseDefinitionBuilder answer(String model, String text) {
		return WireMock.okJson("""
				{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"%s",
				 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
				 "usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}""".formatted(model, text));
	}

	/** An OpenAI error body with the given status, type and code. */
	public static ResponseDefinitionBuilder error(int status, String type, String code) {
		return aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody("""
					{"error":{"message":"simulated %s","type":"%s","param":null,"code":"%s"}}"""
				.formatted(code, type, code));
	}

	/** A complete SSE answer: a role chunk, the tokens, a finish reason and {@code [DONE]}. */
	public static ResponseDefinitionBuilder sse(String model, String... tokens) {
		StringBuilder body = new StringBuilder();
		body.append(sseChunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
		for (String token : tokens) {
			body.append(sseChunk(model, "{\"content\":\"" + token + "\"}", null));
		}
		body.append(sseChunk(model, "{}", "stop")).append("data: [DONE]\n\n");
		return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body.toString());
	}

	/** One chat completion chunk as an SSE event; {@code finish} may be {@code null}. */
	public static String sseChunk(String model, String delta, String finish) {
		return "data: {\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
				+ model + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
				+ ((finish != null) ? "\"" + finish + "\"" : "null") + "}]}\n\n";
	}

}

package io.github.aifallback.sample;

import java.util.List;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * An OpenAI-compatible provider played by WireMock on 127.0.0.1, for the sample's tests
 * (fallback-core's own stubs live in its test-jar, which the sample does not depend on).
 */
final class CompletionStubs {

	static final String PATH = "/v1/chat/completions";

	private static final JsonMapper JSON = JsonMapper.shared();

	private CompletionStubs() {
	}

	static WireMockExtension provider() {
		return WireMockExtension.newInstance().options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort()).build();
	}

	static String baseUrl(WireMockExtension provider) {
		return "http://127.0.0.1:" + provider.getPort() + "/v1";
	}

	/** Blocking chat completion requests for one model (a stream says {@code "stream": true}). */
	static MappingBuilder call(String model) {
		return post(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model)))
			.withRequestBody(notContaining("\"stream\":true"));
	}

	/** Streaming chat completion requests for one model. */
	static MappingBuilder stream(String model) {
		return post(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model)))
			.withRequestBody(matchingJsonPath("$.stream", equalTo("true")));
	}

	/** Every request for one model, to count. */
	static RequestPatternBuilder requestsFor(String model) {
		return postRequestedFor(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model)));
	}

	/** The bodies one model received, in order, as JSON. */
	static List<JsonNode> bodies(WireMockExtension provider, String model) {
		return provider.findAll(requestsFor(model)).stream().map(LoggedRequest::getBodyAsString).map(JSON::readTree).toList();
	}

	static ResponseDefinitionBuilder answer(String model, String text) {
		return WireMock.okJson("""
				{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"%s",
				 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
				 "usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}""".formatted(model, text));
	}

	/** The model asks for one call of {@code tool} with the given JSON arguments. */
	static ResponseDefinitionBuilder toolCall(String model, String id, String tool, String arguments) {
		return WireMock.okJson("""
				{"id":"chatcmpl-t","object":"chat.completion","created":1700000000,"model":"%s",
				 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
				   {"id":"%s","type":"function","function":{"name":"%s","arguments":%s}}]},
				   "finish_reason":"tool_calls"}],
				 "usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}"""
			.formatted(model, id, tool, JSON.writeValueAsString(arguments)));
	}

	static ResponseDefinitionBuilder serverError() {
		return aResponse().withStatus(500)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"error\":{\"message\":\"simulated outage\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
	}

	/** A complete SSE answer: a role chunk, the tokens, a finish reason and {@code [DONE]}. */
	static ResponseDefinitionBuilder sse(String model, String... tokens) {
		StringBuilder body = new StringBuilder(chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
		for (String token : tokens) {
			body.append(chunk(model, "{\"content\":\"" + token + "\"}", null));
		}
		body.append(chunk(model, "{}", "stop")).append("data: [DONE]\n\n");
		return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body.toString());
	}

	private static String chunk(String model, String delta, String finish) {
		return "data: {\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
				+ model + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
				+ ((finish != null) ? "\"" + finish + "\"" : "null") + "}]}\n\n";
	}

}

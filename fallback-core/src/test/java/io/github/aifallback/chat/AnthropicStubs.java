package io.github.aifallback.chat;

import java.time.Duration;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

import org.springframework.ai.chat.prompt.Prompt;

import io.github.aifallback.chat.anthropic.AnthropicEntryModel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

/**
 * WireMock helpers that play Anthropic's Messages API ({@code POST /v1/messages}) on
 * 127.0.0.1: JSON answers, SSE streams (message_start, content_block_start,
 * content_block_delta, content_block_stop, message_delta with its stop_reason,
 * message_stop), and Anthropic's error bodies.
 */
public final class AnthropicStubs {

	public static final String PATH = "/v1/messages";

	private AnthropicStubs() {
	}

	/** A provider on 127.0.0.1, on a port the OS chooses. */
	public static WireMockExtension provider() {
		return OpenAiStubs.provider();
	}

	/** The base URL of a provider, without version path, as the Anthropic SDK wants it. */
	public static String baseUrl(WireMockExtension provider) {
		return "http://127.0.0.1:" + provider.getPort();
	}

	/** An entry model on that provider, with a 5 s attempt timeout. */
	public static AnthropicEntryModel model(WireMockExtension provider, String model) {
		return AnthropicEntryModel.create(baseUrl(provider), "test-key", model, Duration.ofSeconds(5));
	}

	/**
	 * One real call and one real stream with generous timeouts, so that the JVM's first
	 * request (loading the SDK, Spring AI and OkHttp classes) is not one under test.
	 */
	public static void warmUp(WireMockExtension provider) {
		provider.stubFor(messages("warm-up").willReturn(answer("warm-up", "ready")));
		AnthropicEntryModel model = AnthropicEntryModel.create(baseUrl(provider), "k", "warm-up",
				Duration.ofSeconds(30));
		model.call(new Prompt("warm up"), Duration.ofSeconds(30));
		provider.stubFor(messages("warm-up").willReturn(sse("warm-up", "ready")));
		model.stream(new Prompt("warm up"), Duration.ofSeconds(30)).blockLast();
		provider.resetAll();
	}

	/** Messages requests for one model. */
	public static MappingBuilder messages(String model) {
		return post(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model)));
	}

	/** What a provider received for one model, to count. */
	public static RequestPatternBuilder requestsFor(String model) {
		return postRequestedFor(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model)));
	}

	/** A successful message saying {@code text}. */
	public static ResponseDefinitionBuilder answer(String model, String text) {
		return WireMock.okJson(message(model, "[{\"type\":\"text\",\"text\":\"" + text + "\"}]", "end_turn"));
	}

	/** A message asking for one tool: a {@code tool_use} block, {@code stop_reason: tool_use}. */
	public static ResponseDefinitionBuilder toolUse(String model, String id, String name, String inputJson) {
		return WireMock.okJson(message(model, "[{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"" + name
				+ "\",\"input\":" + inputJson + "}]", "tool_use"));
	}

	private static String message(String model, String content, String stopReason) {
		return "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model
				+ "\",\"content\":" + content + ",\"stop_reason\":\"" + stopReason
				+ "\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}";
	}

	/** Anthropic's error body: {@code {"type":"error","error":{"type":..., "message":...}}}. */
	public static ResponseDefinitionBuilder error(int status, String type, String message) {
		return aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody(errorBody(type, message));
	}

	/** 429 {@code rate_limit_error} with a {@code retry-after} in seconds. */
	public static ResponseDefinitionBuilder rateLimited(int retryAfterSeconds) {
		return error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit")
			.withHeader("retry-after", Integer.toString(retryAfterSeconds));
	}

	/** 529 {@code overloaded_error}. */
	public static ResponseDefinitionBuilder overloaded() {
		return error(529, "overloaded_error", "Overloaded");
	}

	/** 400 {@code invalid_request_error}: the prompt is too long. */
	public static ResponseDefinitionBuilder promptTooLong() {
		return error(400, "invalid_request_error", "prompt is too long: 215123 tokens > 200000 maximum");
	}

	/** 400 {@code invalid_request_error}: the credit balance is too low. */
	public static ResponseDefinitionBuilder creditTooLow() {
		return error(400, "invalid_request_error", "Your credit balance is too low to access the Anthropic API. "
				+ "Please go to Plans & Billing to upgrade or purchase credits.");
	}

	private static String errorBody(String type, String message) {
		return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}";
	}

	/** A complete SSE answer. */
	public static ResponseDefinitionBuilder sse(String model, String... tokens) {
		return events(start(model, tokens) + end("end_turn"));
	}

	/** The tokens, then the connection closes: no message_delta, no message_stop. */
	public static ResponseDefinitionBuilder cut(String model, String... tokens) {
		return events(start(model, tokens));
	}

	/** The tokens, then an {@code error} event inside the 200 stream. */
	public static ResponseDefinitionBuilder errorEvent(String model, String type, String message, String... tokens) {
		String head = (tokens.length > 0) ? start(model, tokens) : messageStart(model);
		return events(head + event("error", errorBody(type, message)));
	}

	/** A stream asking for one tool: a {@code tool_use} block whose input arrives as JSON deltas. */
	public static ResponseDefinitionBuilder sseToolUse(String model, String id, String name, String inputJson) {
		return events(messageStart(model)
				+ event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
						+ "{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"input\":{}}}")
				+ event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
						+ "{\"type\":\"input_json_delta\",\"partial_json\":" + quoted(inputJson) + "}}")
				+ event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}") + end("tool_use"));
	}

	/** An SSE response whose body is the given events. */
	public static ResponseDefinitionBuilder events(String body) {
		return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body);
	}

	/** message_start, a text block start, one delta per token (the block is left open). */
	public static String start(String model, String... tokens) {
		StringBuilder body = new StringBuilder(messageStart(model));
		body.append(event("content_block_start",
				"{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
		for (String token : tokens) {
			body.append(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
					+ "{\"type\":\"text_delta\",\"text\":" + quoted(token) + "}}"));
		}
		return body.toString();
	}

	/** content_block_stop, message_delta with the stop reason, message_stop. */
	public static String end(String stopReason) {
		return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
				+ event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
						+ "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}")
				+ event("message_stop", "{\"type\":\"message_stop\"}");
	}

	private static String messageStart(String model) {
		return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
				+ "\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":[],\"stop_reason\":null,"
				+ "\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}");
	}

	/** One SSE event. */
	public static String event(String name, String data) {
		return "event: " + name + "\ndata: " + data + "\n\n";
	}

	private static String quoted(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

}

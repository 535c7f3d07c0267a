package io.github.aifallback.chat;

import java.time.Duration;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.ollama.OllamaChatModel;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.ai.ollama.api.OllamaChatOptions;
import org.springframework.ai.ollama.management.ModelManagementOptions;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

import io.github.aifallback.chat.model.ChatModelEntryModel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * WireMock helpers that play Ollama's {@code /api/chat} on 127.0.0.1, and the real
 * {@link OllamaChatModel} of spring-ai-ollama pointed at it.
 */
public final class OllamaStubs {

	public static final String PATH = "/api/chat";

	private OllamaStubs() {
	}

	/**
	 * An emulated Ollama on 127.0.0.1, on a port the OS chooses, speaking HTTP/1.1 only as
	 * Ollama does: the JDK's HttpClient (what Spring's RestClient and WebClient use when no
	 * other client library is present) asks for an h2c upgrade that WireMock's Jetty would
	 * take and then fail.
	 */
	public static WireMockExtension provider() {
		return WireMockExtension.newInstance()
			.options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort().http2PlainDisabled(true))
			.build();
	}

	/** The base URL of an emulated Ollama (no version path, as Spring AI's Ollama wants it). */
	public static String baseUrl(WireMockExtension provider) {
		return "http://127.0.0.1:" + provider.getPort();
	}

	/**
	 * Spring AI's Ollama model, its own retries off (the chain is the only retry layer), and
	 * never pulling models.
	 */
	public static OllamaChatModel chatModel(String baseUrl, String model) {
		return chatModel(baseUrl, model, new RetryTemplate(RetryPolicy.withMaxRetries(0)));
	}

	/** Spring AI's Ollama model with the given retry template. */
	public static OllamaChatModel chatModel(String baseUrl, String model, RetryTemplate retryTemplate) {
		return OllamaChatModel.builder()
			.ollamaApi(OllamaApi.builder().baseUrl(baseUrl).build())
			.options(OllamaChatOptions.builder().model(model).build())
			.modelManagementOptions(ModelManagementOptions.defaults())
			.retryTemplate(retryTemplate)
			.build();
	}

	/** An entry backed by Spring AI's Ollama model, its retries off. */
	public static ChatModelEntryModel entryModel(String baseUrl, String model) {
		return ChatModelEntryModel.builder(chatModel(baseUrl, model)).name(model).build();
	}

	/**
	 * One real call and one real stream with generous timeouts, so that the JVM's first
	 * request (class loading, the HTTP clients' set-up) is not one of the short-timeout
	 * requests under test.
	 */
	public static void warmUp(WireMockExtension provider) {
		provider.stubFor(chat("warm-up").willReturn(answer("warm-up", "ready")));
		ChatModelEntryModel model = entryModel(baseUrl(provider), "warm-up");
		model.call(new Prompt("warm up"), Duration.ofSeconds(30));
		provider.stubFor(chat("warm-up").willReturn(stream("warm-up", "ready")));
		model.stream(new Prompt("warm up"), Duration.ofSeconds(30)).blockLast();
		provider.resetAll();
	}

	/** Chat requests for one model. */
	public static MappingBuilder chat(String model) {
		return post(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model)));
	}

	/** Streaming (or, with {@code false}, blocking) chat requests for one model. */
	public static MappingBuilder chat(String model, boolean stream) {
		return chat(model).withRequestBody(matchingJsonPath("$.stream", equalTo(String.valueOf(stream))));
	}

	/** What the emulated Ollama received for one model, to count. */
	public static RequestPatternBuilder requestsFor(String model) {
		return postRequestedFor(urlEqualTo(PATH)).withRequestBody(matchingJsonPath("$.model", equalTo(model)));
	}

	/** A whole (non-streaming) answer saying {@code text}, {@code done_reason} "stop". */
	public static ResponseDefinitionBuilder answer(String model, String text) {
		return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(last(model, text));
	}

	/** A streamed answer: one NDJSON line per token, then the {@code done: true} line. */
	public static ResponseDefinitionBuilder stream(String model, String... tokens) {
		StringBuilder body = new StringBuilder();
		for (String token : tokens) {
			body.append(chunk(model, token)).append('\n');
		}
		body.append(last(model, "")).append('\n');
		return ndjson(body.toString());
	}

	/**
	 * A streamed answer whose {@code done: true} line has no token counts, as Ollama sends
	 * when the whole prompt came from its cache.
	 */
	public static ResponseDefinitionBuilder streamWithoutCounts(String model, String... tokens) {
		StringBuilder body = new StringBuilder();
		for (String token : tokens) {
			body.append(chunk(model, token)).append('\n');
		}
		body.append("{\"model\":\"" + model + "\",\"created_at\":\"2025-01-01T00:00:00Z\","
				+ "\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true}\n");
		return ndjson(body.toString());
	}

	/** A stream cut short: its tokens, and no {@code done: true} line. */
	public static ResponseDefinitionBuilder streamWithoutDone(String model, String... tokens) {
		StringBuilder body = new StringBuilder();
		for (String token : tokens) {
			body.append(chunk(model, token)).append('\n');
		}
		return ndjson(body.toString());
	}

	/** Ollama's error body ({@code {"error": "..."}}) with a status. */
	public static ResponseDefinitionBuilder error(int status, String message) {
		return aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"error\":\"" + message + "\"}");
	}

	/** Ollama's answer for a model it does not have. */
	public static ResponseDefinitionBuilder modelNotFound(String model) {
		return error(404, "model '" + model + "' not found");
	}

	/** One streamed line, not the last. */
	public static String chunk(String model, String token) {
		return "{\"model\":\"" + model + "\",\"created_at\":\"2025-01-01T00:00:00Z\","
				+ "\"message\":{\"role\":\"assistant\",\"content\":\"" + token + "\"},\"done\":false}";
	}

	/** The last line of an answer (the whole answer when not streaming), with its counts. */
	public static String last(String model, String text) {
		return "{\"model\":\"" + model + "\",\"created_at\":\"2025-01-01T00:00:00Z\","
				+ "\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},\"done_reason\":\"stop\","
				+ "\"done\":true,\"total_duration\":1000,\"load_duration\":10,\"prompt_eval_count\":5,"
				+ "\"prompt_eval_duration\":100,\"eval_count\":3,\"eval_duration\":200}";
	}

	private static ResponseDefinitionBuilder ndjson(String body) {
		return aResponse().withStatus(200).withHeader("Content-Type", "application/x-ndjson").withBody(body);
	}

}

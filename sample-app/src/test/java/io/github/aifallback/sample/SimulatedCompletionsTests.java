package io.github.aifallback.sample;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SimulatedCompletions}.
 */
class SimulatedCompletionsTests {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

	private static final String BEARER = "Bearer simulated-key";

	private static final JsonMapper JSON = JsonMapper.shared();

	@Test
	void whenSecondaryIsAskedThenItAnswersAChatCompletionTheOpenAiSdkParses() throws Exception {
		SimulatedReply reply = simulator(1.0).reply(BEARER, request("sim-secondary", "Hello"));
		assertThat(reply.status()).isEqualTo(200);
		ChatCompletion completion = ObjectMappers.jsonMapper().readValue(reply.body(), ChatCompletion.class);
		completion.validate();
		assertThat(completion.model()).isEqualTo("sim-secondary");
		assertThat(completion.created()).isEqualTo(CLOCK.instant().getEpochSecond());
		assertThat(completion.choices()).singleElement().satisfies((choice) -> {
			assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
			assertThat(choice.message().content())
				.hasValue("Simulated answer from sim-secondary: your message had 5 characters.");
		});
		assertThat(completion.usage()).hasValueSatisfying((usage) -> assertThat(usage.totalTokens())
			.isEqualTo(usage.promptTokens() + usage.completionTokens()));
	}

	@Test
	void whenAnsweringThenThePromptIsNotEchoed() {
		SimulatedReply reply = simulator(0.0).reply(BEARER, request("sim-tertiary", "my secret plan"));
		assertThat(reply.body()).doesNotContain("secret").contains("14 characters");
	}

	@Test
	void whenTheLastUserMessageHasContentPartsThenTheirTextIsMeasured() {
		String body = """
				{"model":"sim-primary","messages":[
				  {"role":"system","content":"You are terse."},
				  {"role":"user","content":[{"type":"text","text":"abc"},{"type":"text","text":"de"}]}]}
				""";
		assertThat(simulator(0.0).reply(BEARER, body).body()).contains("sim-primary").contains("5 characters");
	}

	@Test
	void whenPrimaryFailureRateIsZeroThenPrimaryAlwaysAnswers() {
		SimulatedCompletions simulator = simulator(0.0);
		for (int i = 0; i < 50; i++) {
			assertThat(simulator.reply(BEARER, request("sim-primary", "Hi")).status()).isEqualTo(200);
		}
	}

	@Test
	void whenPrimaryFailureRateIsOneThenPrimaryFailsWithServerErrorsAndRateLimits() {
		SimulatedCompletions simulator = simulator(1.0);
		boolean sawServerError = false;
		boolean sawRateLimit = false;
		for (int i = 0; i < 50; i++) {
			SimulatedReply reply = simulator.reply(BEARER, request("sim-primary", "Hi"));
			JsonNode error = JSON.readTree(reply.body()).path("error");
			assertThat(reply.status()).isIn(429, 500);
			assertThat(error.path("message").asString()).isNotBlank();
			if (reply.status() == 429) {
				sawRateLimit = true;
				assertThat(reply.headers()).containsEntry("Retry-After", "1");
				assertThat(error.path("type").asString()).isEqualTo("rate_limit_exceeded");
				assertThat(error.path("code").asString()).isEqualTo("rate_limit_exceeded");
			}
			else {
				sawServerError = true;
				assertThat(error.path("type").asString()).isEqualTo("server_error");
			}
		}
		assertThat(sawServerError).isTrue();
		assertThat(sawRateLimit).isTrue();
	}

	@Test
	void whenTheModelIsUnknownThen404ModelNotFound() {
		SimulatedReply reply = simulator(0.0).reply(BEARER, request("gpt-none", "Hi"));
		assertThat(reply.status()).isEqualTo(404);
		assertThat(JSON.readTree(reply.body()).path("error").path("code").asString()).isEqualTo("model_not_found");
	}

	@Test
	void whenNoBearerTokenThen401() {
		assertThat(simulator(0.0).reply(null, request("sim-secondary", "Hi")).status()).isEqualTo(401);
		assertThat(simulator(0.0).reply("Bearer ", request("sim-secondary", "Hi")).status()).isEqualTo(401);
	}

	@Test
	void whenTheBodyIsNotJsonThen400() {
		assertThat(simulator(0.0).reply(BEARER, "{not json").status()).isEqualTo(400);
		assertThat(simulator(0.0).reply(BEARER, "[]").status()).isEqualTo(400);
	}

	@Test
	void whenStreamingIsAskedThenTheAnswerComesAsChunksTheOpenAiSdkParses() throws Exception {
		String body = "{\"model\":\"sim-secondary\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
		SimulatedReply reply = simulator(0.0).reply(BEARER, body);

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.streaming()).isTrue();
		assertThat(reply.events()).last().isEqualTo("[DONE]");
		StringBuilder text = new StringBuilder();
		for (String event : reply.events().subList(0, reply.events().size() - 1)) {
			com.openai.models.chat.completions.ChatCompletionChunk chunk = com.openai.core.ObjectMappers.jsonMapper()
				.readValue(event, com.openai.models.chat.completions.ChatCompletionChunk.class);
			chunk.validate();
			chunk.choices().get(0).delta().content().ifPresent(text::append);
		}
		assertThat(text.toString()).isEqualTo("Simulated answer from sim-secondary: your message had 5 characters.");
	}

	private static SimulatedCompletions simulator(double primaryFailureRate) {
		return new SimulatedCompletions(primaryFailureRate, new SplittableRandom(42), CLOCK);
	}

	static String request(String model, String message) {
		return JSON.writeValueAsString(JSON.createObjectNode()
			.put("model", model)
			.set("messages", JSON.createArrayNode()
				.add(JSON.createObjectNode().put("role", "user").put("content", message))));
	}

}

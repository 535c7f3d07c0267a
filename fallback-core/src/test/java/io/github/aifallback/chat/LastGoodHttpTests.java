package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatOptions;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Degradation over real HTTP: an answer the real client parsed is kept, then served marked
 * degraded once every entry fails; incomplete answers are never kept.
 */
class LastGoodHttpTests {

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	@org.junit.jupiter.api.BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(provider);
	}

	private final MutableClock clock = new MutableClock();

	private final KeptAnswers kept = new KeptAnswers(this.clock);

	private ResilientChatClient client() {
		String url = baseUrl(provider);
		return ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "model-a", OpenAiEntryModel.create(url, "k", "model-a", Duration.ofSeconds(5))))
			.entry(ChainEntry.of("secondary", "model-b", OpenAiEntryModel.create(url, "k", "model-b", Duration.ofSeconds(5))))
			.retry(RetrySettings.custom().maxAttempts(1).build())
			.clock(this.clock)
			.sleeper((duration) -> {
			})
			.lastGoodStore(this.kept.store())
			.build();
	}

	private static void breakEveryEntryAfterTheFirstCall(String text, String finishReason) {
		provider.stubFor(completion("model-a").inScenario("outage")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(okJson("""
					{"id":"chatcmpl-42","object":"chat.completion","created":1700000000,"model":"model-a",
					 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"%s"}],
					 "usage":{"prompt_tokens":11,"completion_tokens":13,"total_tokens":24}}"""
				.formatted(text, finishReason)))
			.willSetStateTo("down"));
		provider.stubFor(completion("model-a").inScenario("outage").whenScenarioStateIs("down").willReturn(serverError()));
		provider.stubFor(completion("model-b").willReturn(serverError()));
	}

	@Test
	void whenEveryEntryFailsThenTheLastGoodAnswerIsServedMarkedDegradedWithItsAge() {
		breakEveryEntryAfterTheFirstCall("the good answer", "stop");
		ResilientChatClient client = client();
		ChatResponse fresh = client.call(new Prompt("What is up?"));
		this.clock.advance(Duration.ofSeconds(90));

		ChatResponse degraded = client.call(new Prompt("What is up?"));

		assertThat(fresh.getMetadata().<Boolean>get(FallbackMetadata.DEGRADED)).isFalse();
		assertThat(degraded.getResult().getOutput().getText()).isEqualTo("the good answer");
		assertThat(degraded.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("cache");
		assertThat(degraded.getMetadata().<Boolean>get(FallbackMetadata.DEGRADED)).isTrue();
		assertThat(degraded.getMetadata().<Duration>get(FallbackMetadata.AGE)).isEqualTo(Duration.ofSeconds(90));
		assertThat(degraded.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).hasSize(2);
		assertThat(degraded.getMetadata().getId()).isEqualTo("chatcmpl-42");
		assertThat(degraded.getMetadata().getModel()).isEqualTo("model-a");
		assertThat(degraded.getMetadata().getUsage().getTotalTokens()).isEqualTo(24);
		assertThat(degraded.getMetadata().getUsage().getPromptTokens()).isEqualTo(11);
		provider.verify(2, requestsFor("model-a"));
		provider.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenTheAnswerWasTruncatedThenItIsNeverServedLater() {
		breakEveryEntryAfterTheFirstCall("cut sho", "length");
		ResilientChatClient client = client();
		client.call(new Prompt("What is up?"));

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> client.call(new Prompt("What is up?")));
		assertThat(this.kept.stored()).isEmpty();
	}

	@Test
	void whenTheAnswerWasContentFilteredThenItIsNeverKept() {
		breakEveryEntryAfterTheFirstCall("[filtered]", "content_filter");
		// Since issue 13 a filtered answer is a REFUSED failure, never served nor kept.
		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> client().call(new Prompt("What is up?")));

		assertThat(this.kept.stored()).isEmpty();
	}

	@Test
	void whenTheRequestDiffersInMessagesOrOptionsThenTheOtherAnswerIsNotServed() {
		breakEveryEntryAfterTheFirstCall("the good answer", "stop");
		ResilientChatClient client = client();
		client.call(new Prompt("What is up?"));

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> client.call(new Prompt("What is down?")));
		assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> client
			.call(new Prompt("What is up?", OpenAiChatOptions.builder().temperature(0.9).build())));
		assertThat(client.call(new Prompt("What is up?", OpenAiChatOptions.builder().model("any").build()))
			.getMetadata()
			.<Boolean>get(FallbackMetadata.DEGRADED)).as("the model is not part of the key").isTrue();
	}

	@Test
	void whenTwoUsersSendTheSamePromptThenOneNeverGetsTheOthersDegradedAnswer() {
		breakEveryEntryAfterTheFirstCall("alice's account summary", "stop");
		ResilientChatClient client = client();
		client.call(new Prompt("Summarise my account", OpenAiChatOptions.builder().user("alice").build()));

		assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> client
			.call(new Prompt("Summarise my account", OpenAiChatOptions.builder().user("bob").build())));
		assertThat(client.call(new Prompt("Summarise my account", OpenAiChatOptions.builder().user("alice").build()))
			.getResult()
			.getOutput()
			.getText()).isEqualTo("alice's account summary");
		provider.verify(3, requestsFor("model-a"));
	}

	@Test
	void whenTwoRequestsDifferOnlyInToolContextThenNeitherGetsTheOthersDegradedAnswer() {
		breakEveryEntryAfterTheFirstCall("acme's numbers", "stop");
		ResilientChatClient client = client();
		client.call(new Prompt("Our numbers?", OpenAiChatOptions.builder().toolContext(java.util.Map.of("tenant", "acme")).build()));

		assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> client.call(new Prompt(
				"Our numbers?", OpenAiChatOptions.builder().toolContext(java.util.Map.of("tenant", "globex")).build())));
	}

	@Test
	void whenTheAnswerIsOlderThanTheTtlThenItIsNotServed() {
		breakEveryEntryAfterTheFirstCall("the good answer", "stop");
		ResilientChatClient client = client();
		client.call(new Prompt("What is up?"));
		this.clock.advance(Duration.ofHours(1).plusSeconds(1));

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> client.call(new Prompt("What is up?")));
	}

}

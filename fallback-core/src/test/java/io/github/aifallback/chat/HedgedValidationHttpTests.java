package io.github.aifallback.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.failure.InvalidResponseException;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link ResponseValidator} of a hedged blocking call runs on the caller's thread, where
 * the application's thread-locals are, after the race has returned an answer; a rejected
 * answer is still that side's failure, and the other side wins.
 */
class HedgedValidationHttpTests {

	/** What an application keeps per request on the caller's thread (a tenant). */
	private static final ThreadLocal<String> TENANT = new ThreadLocal<>();

	@RegisterExtension
	static WireMockExtension primary = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension secondary = OpenAiStubs.provider();

	private final List<String> seen = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(primary);
	}

	@AfterEach
	void noTenant() {
		TENANT.remove();
	}

	private ResilientChatClient hedged() {
		ResponseValidator validator = (prompt, response) -> {
			String text = response.getResult().getOutput().getText();
			this.seen.add(Thread.currentThread().getName() + "|" + TENANT.get() + "|" + text);
			if (text.startsWith("bad")) {
				throw new InvalidResponseException("not for this tenant");
			}
		};
		return ResilientChatClient.builder()
			.entry(new ChainEntry("primary", "model-a",
					OpenAiEntryModel.create(baseUrl(primary), "test-key", "model-a", Duration.ofSeconds(5)), null, 1)
				.withHedge(HedgeSettings.after(Duration.ofMillis(50))))
			.entry(new ChainEntry("secondary", "model-b",
					OpenAiEntryModel.create(baseUrl(secondary), "test-key", "model-b", Duration.ofSeconds(5)), null, 1))
			.timeout(Duration.ofSeconds(5))
			.deadline(Duration.ofSeconds(20))
			.sleeper((wait) -> {
			})
			.responseValidator(validator)
			.build();
	}

	@Test
	void whenTheHedgeWinsThenTheValidatorRunsOnTheCallersThreadWithItsThreadLocals() {
		primary.stubFor(completion("model-a").willReturn(answer("model-a", "from A").withFixedDelay(2000)));
		secondary.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		TENANT.set("tenant-7");
		try (ResilientChatClient client = hedged()) {
			ChatResponse response = client.call(new Prompt("hello"));

			assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
			assertThat((Boolean) response.getMetadata().get(FallbackMetadata.HEDGED)).isTrue();
		}
		assertThat(this.seen).containsExactly(Thread.currentThread().getName() + "|tenant-7|from B");
	}

	@Test
	void whenTheFasterSidesAnswerIsRejectedThenTheOtherSideServes() {
		primary.stubFor(completion("model-a").willReturn(answer("model-a", "from A").withFixedDelay(600)));
		secondary.stubFor(completion("model-b").willReturn(answer("model-b", "bad answer")));
		TENANT.set("tenant-7");
		try (ResilientChatClient client = hedged()) {
			ChatResponse response = client.call(new Prompt("hello"));

			assertThat(response.getResult().getOutput().getText()).isEqualTo("from A");
			assertThat((String) response.getMetadata().get(FallbackMetadata.SERVED_BY)).isEqualTo("primary");
			assertThat((List<String>) response.getMetadata().get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
				.asString()
				.contains("secondary", "INVALID_RESPONSE");
			// A rejection is about the request, never the model's health.
			assertThat(client.circuitBreaker("secondary").snapshot().consecutiveFailures()).isZero();
			assertThat(client.circuitBreaker("primary").snapshot().successes()).isEqualTo(1);
		}
		String caller = Thread.currentThread().getName();
		assertThat(this.seen).containsExactly(caller + "|tenant-7|bad answer", caller + "|tenant-7|from A");
		primary.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
	}

}

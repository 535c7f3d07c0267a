package io.github.aifallback.chat;

import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.prompt.Prompt;

import io.github.aifallback.chat.openai.OpenAiEntryModel;

import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The deadline is a hard bound over real HTTP: hanging, slow and trickling providers never
 * hold a call, blocking or streaming, much past it. The slack allows for the SDK and a
 * busy 2-core CI machine, not for another attempt.
 */
class DeadlineHttpTests {

	private static final Duration DEADLINE = Duration.ofMillis(1_500);

	private static final long SLACK_MILLIS = 700;

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(provider);
	}

	private static ResilientChatClient client() {
		return ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "model-a",
					OpenAiEntryModel.create(baseUrl(provider), "k", "model-a", Duration.ofSeconds(1))))
			.entry(ChainEntry.of("secondary", "model-b",
					OpenAiEntryModel.create(baseUrl(provider), "k", "model-b", Duration.ofSeconds(1))))
			.timeout(Duration.ofSeconds(1))
			.deadline(DEADLINE)
			.firstTokenTimeout(Duration.ofSeconds(1))
			.idleTimeout(Duration.ofSeconds(1))
			.retry(RetrySettings.custom()
				.initialInterval(Duration.ofMillis(100))
				.maxInterval(Duration.ofSeconds(1))
				.jitter(false)
				.build())
			.build();
	}

	private static long millisSince(long startedNanos) {
		return (System.nanoTime() - startedNanos) / 1_000_000;
	}

	@Test
	void whenEveryProviderHangsThenABlockingCallEndsByItsDeadline() {
		provider.stubFor(completion("model-a").willReturn(answer("model-a", "late").withFixedDelay(10_000)));
		provider.stubFor(completion("model-b").willReturn(answer("model-b", "late").withFixedDelay(10_000)));

		long started = System.nanoTime();
		assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> client().call(new Prompt("hi")));

		assertThat(millisSince(started)).isLessThan(DEADLINE.toMillis() + SLACK_MILLIS);
	}

	@Test
	void whenEveryProviderHangsThenAStreamEndsByItsDeadline() {
		provider.stubFor(completion("model-a")
			.willReturn(OpenAiStubs.sse("model-a", "late").withFixedDelay(10_000)));
		provider.stubFor(completion("model-b")
			.willReturn(OpenAiStubs.sse("model-b", "late").withFixedDelay(10_000)));

		long started = System.nanoTime();
		Throwable thrown = catchThrowable(() -> client().stream(new Prompt("hi")).blockLast(Duration.ofSeconds(20)));

		assertThat(thrown).isInstanceOf(AllModelsFailedException.class);
		assertThat(millisSince(started)).isLessThan(DEADLINE.toMillis() + SLACK_MILLIS);
	}

	@Test
	void whenAStreamTricklesPastTheDeadlineThenItIsCutAtTheDeadline() {
		// 40 chunks over 8 s: each gap (200 ms) is well inside the idle timeout.
		provider.stubFor(completion("model-a").willReturn(OpenAiStubs
			.sse("model-a", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r",
					"s", "t", "u", "v", "w", "x", "y", "z", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L")
			.withChunkedDribbleDelay(40, 8_000)));

		long started = System.nanoTime();
		Throwable thrown = catchThrowable(() -> client().stream(new Prompt("hi")).blockLast(Duration.ofSeconds(20)));

		assertThat(thrown).isInstanceOfAny(StreamInterruptedException.class, AllModelsFailedException.class);
		assertThat(millisSince(started)).isLessThan(DEADLINE.toMillis() + SLACK_MILLIS);
	}

}

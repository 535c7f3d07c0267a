package io.github.aifallback.chat.model;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.failure.AttemptTimeoutException;
import io.github.aifallback.chat.OllamaStubs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatOptions;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link ChatModelEntryModel} on its own: the timeout it enforces on a model that takes
 * none, the cap on its threads, streams that never block the subscriber's thread, and the
 * options a caller of another vendor reaches the wrapped model with.
 */
class ChatModelEntryModelTests {

	@RegisterExtension
	static WireMockExtension ollama = OllamaStubs.provider();

	@BeforeAll
	static void warmUp() {
		OllamaStubs.warmUp(ollama);
	}

	private static ChatResponse answer(String text) {
		return new ChatResponse(List.of(new Generation(new AssistantMessage(text))));
	}

	/** A model that blocks until interrupted, and says whether it was. */
	private static ChatModel hanging(CountDownLatch started, AtomicBoolean interrupted) {
		return (prompt) -> {
			started.countDown();
			try {
				Thread.sleep(30_000);
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
				Thread.currentThread().interrupt();
			}
			return answer("too late");
		};
	}

	@Test
	void whenTheModelAnswersInTimeThenItsAnswerIsReturned() {
		ChatModelEntryModel entry = ChatModelEntryModel.of((prompt) -> answer("hello"));

		assertThat(entry.call(new Prompt("hi"), Duration.ofSeconds(5)).getResult().getOutput().getText())
			.isEqualTo("hello");
	}

	@Test
	void whenTheModelOutlastsTheTimeoutThenTheAttemptTimesOutAndTheCallIsInterrupted() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		ChatModelEntryModel entry = ChatModelEntryModel.of(hanging(started, interrupted));

		long begun = System.nanoTime();
		assertThatExceptionOfType(AttemptTimeoutException.class)
			.isThrownBy(() -> entry.call(new Prompt("hi"), Duration.ofMillis(200)));

		assertThat(Duration.ofNanos(System.nanoTime() - begun)).isLessThan(Duration.ofSeconds(2));
		assertThat(started.await(1, TimeUnit.SECONDS)).isTrue();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
		while (!interrupted.get() && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(interrupted).isTrue();
	}

	@Test
	void whenEveryThreadIsBusyThenANewCallIsRefusedAtOnceAsAServerError() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		ChatModelEntryModel entry = ChatModelEntryModel.builder(hanging(started, new AtomicBoolean()))
			.maxConcurrentCalls(1)
			.build();
		Thread first = new Thread(() -> {
			try {
				entry.call(new Prompt("hi"), Duration.ofSeconds(30));
			}
			catch (RuntimeException expected) {
				// interrupted below
			}
		});
		first.start();
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

		assertThatExceptionOfType(EntryBusyException.class)
			.isThrownBy(() -> entry.call(new Prompt("hi"), Duration.ofSeconds(5)))
			.satisfies((ex) -> assertThat(entry.classifier().classify(ex).kind())
				.isEqualTo(io.github.aifallback.chat.failure.FailureKind.SERVER_ERROR));
		first.interrupt();
		first.join(5_000);
	}

	@Test
	void whenTheModelThrowsThenTheSameExceptionReachesTheChain() {
		IllegalStateException failure = new IllegalStateException("boom");
		ChatModelEntryModel entry = ChatModelEntryModel.of((prompt) -> {
			throw failure;
		});

		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> entry.call(new Prompt("hi"), Duration.ofSeconds(5)))
			.isSameAs(failure);
	}

	@Test
	void whenTheModelCannotStreamThenItsAnswerArrivesAsOneChunkOffTheSubscribersThread() {
		AtomicReference<String> callingThread = new AtomicReference<>();
		ChatModelEntryModel entry = ChatModelEntryModel.of((prompt) -> {
			callingThread.set(Thread.currentThread().getName());
			return answer("whole");
		});

		List<ChatResponse> chunks = entry.stream(new Prompt("hi"), Duration.ofSeconds(5))
			.collectList()
			.block(Duration.ofSeconds(5));

		assertThat(chunks).singleElement()
			.satisfies((chunk) -> assertThat(chunk.getResult().getOutput().getText()).isEqualTo("whole"));
		assertThat(callingThread.get()).startsWith("ai-fallback-");
	}

	@Test
	void whenTheStreamOutlastsTheTimeLeftThenItEndsWithAnAttemptTimeout() {
		AtomicBoolean cancelled = new AtomicBoolean();
		ChatModel endless = new ChatModel() {
			@Override
			public ChatResponse call(Prompt prompt) {
				throw new UnsupportedOperationException();
			}

			@Override
			public Flux<ChatResponse> stream(Prompt prompt) {
				return Flux.interval(Duration.ofMillis(20), Schedulers.parallel())
					.map((i) -> answer("tick"))
					.doOnCancel(() -> cancelled.set(true));
			}
		};

		assertThatExceptionOfType(AttemptTimeoutException.class).isThrownBy(() -> ChatModelEntryModel.of(endless)
			.stream(new Prompt("hi"), Duration.ofMillis(300))
			.blockLast(Duration.ofSeconds(5)));
		assertThat(cancelled).isTrue();
	}

	@Test
	void whenTheCallerUsesAnotherVendorsOptionsThenOllamaGetsThePortableOnesAndItsOwnModel() {
		ollama.stubFor(OllamaStubs.chat("llama", false).willReturn(OllamaStubs.answer("llama", "ok")));
		ChatModelEntryModel entry = OllamaStubs.entryModel(OllamaStubs.baseUrl(ollama), "llama");
		OpenAiChatOptions options = OpenAiChatOptions.builder()
			.model("gpt-4o")
			.temperature(0.3)
			.maxTokens(77)
			.topP(0.9)
			.stop(List.of("END"))
			.reasoningEffort("high")
			.build();

		ChatResponse response = entry.call(new Prompt("hi", options), Duration.ofSeconds(5));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("ok");
		ollama.verify(1, postRequestedFor(urlEqualTo(OllamaStubs.PATH))
			.withRequestBody(matchingJsonPath("$.model", equalTo("llama")))
			.withRequestBody(matchingJsonPath("$.options.temperature", equalTo("0.3")))
			.withRequestBody(matchingJsonPath("$.options.num_predict", equalTo("77")))
			.withRequestBody(matchingJsonPath("$.options.top_p", equalTo("0.9")))
			.withRequestBody(matchingJsonPath("$.options.stop[0]", equalTo("END")))
			.withRequestBody(notContaining("reasoning")));
	}

	@Test
	void whenTheEntryNamesAModelThenItWinsOverTheCallersAndTheBeansDefault() {
		ollama.stubFor(OllamaStubs.chat("qwen", false).willReturn(OllamaStubs.answer("qwen", "ok")));
		ChatModelEntryModel entry = ChatModelEntryModel
			.builder(OllamaStubs.chatModel(OllamaStubs.baseUrl(ollama), "llama"))
			.model("qwen")
			.build();

		entry.call(new Prompt("hi", OpenAiChatOptions.builder().model("gpt-4o").build()), Duration.ofSeconds(5));

		ollama.verify(1, OllamaStubs.requestsFor("qwen"));
	}

}

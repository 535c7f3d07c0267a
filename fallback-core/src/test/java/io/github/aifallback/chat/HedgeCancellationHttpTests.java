package io.github.aifallback.chat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.anthropic.AnthropicEntryModel;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
 * The loser of a blocking hedge is really cancelled: its HTTP call is, not only its thread
 * interrupted (OkHttp's blocking read ignores interrupts). The slow provider takes 10 s; the
 * models' own timeouts are 30 s, so only the cancellation can end the loser's request before
 * then. The bounds are generous (5 s against 10 s): what is asserted is that the loser ends
 * long before the provider would have answered, not how fast.
 */
class HedgeCancellationHttpTests {

	private static final Duration SLOW = Duration.ofSeconds(10);

	private static final Duration GENEROUS = Duration.ofSeconds(30);

	@RegisterExtension
	static WireMockExtension slow = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension secondary = OpenAiStubs.provider();

	private static OpenAiEntryModel secondaryModel;

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(secondary);
		AnthropicStubs.warmUp(slow);
		secondaryModel = OpenAiEntryModel.create(baseUrl(secondary), "test-key", "model-b", GENEROUS);
	}

	@BeforeEach
	void secondaryAnswers() {
		secondary.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
	}

	private static ResilientChatClient hedged(EntryModel primaryModel) {
		return ResilientChatClient.builder()
			.entry(new ChainEntry("primary", "model-a", primaryModel, null, 1)
				.withHedge(HedgeSettings.after(Duration.ofMillis(50))))
			.entry(new ChainEntry("secondary", "model-b", secondaryModel, null, 1))
			.timeout(GENEROUS)
			.deadline(Duration.ofSeconds(60))
			.sleeper((wait) -> {
			})
			.build();
	}

	@Test
	void whenTheHedgeWinsThenTheLosersHttpCallEndsAndFreesItsHedgingThread() throws Exception {
		slow.stubFor(completion("model-a")
			.willReturn(answer("model-a", "from A").withFixedDelay((int) SLOW.toMillis())));
		OpenAiEntryModel primaryModel = OpenAiEntryModel.create(baseUrl(slow), "test-key", "model-a", GENEROUS);
		try (ResilientChatClient client = hedged(primaryModel)) {
			ChatResponse response = client.call(new Prompt("hello"));

			assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
			// Interrupted only, the loser's thread would wait for the 10 s answer.
			assertThat(within(Duration.ofSeconds(5), () -> client.runtime.hedging.activeThreads() == 0))
				.as("the loser's hedging thread is free again")
				.isTrue();
		}
		slow.verify(1, requestsFor("model-a"));
		secondary.verify(1, requestsFor("model-b"));
	}

	@Test
	void whenAnOpenAiPrimaryLosesThenItsConnectionIsClosedByTheClient() throws Exception {
		try (SilentProvider provider = new SilentProvider()) {
			OpenAiEntryModel primaryModel = OpenAiEntryModel.create(provider.baseUrl(), "test-key", "model-a",
					GENEROUS);
			try (ResilientChatClient client = hedged(primaryModel)) {
				ChatResponse response = client.call(new Prompt("hello"));

				assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
				assertThat(provider.requested.await(5, TimeUnit.SECONDS)).isTrue();
				assertThat(provider.closed.await(5, TimeUnit.SECONDS)).as("the client closed the slow connection")
					.isTrue();
			}
		}
	}

	@Test
	void whenAnAnthropicPrimaryLosesThenItsConnectionIsClosedByTheClient() throws Exception {
		try (SilentProvider provider = new SilentProvider()) {
			String base = provider.baseUrl();
			// The Anthropic SDK wants the base URL without the version.
			AnthropicEntryModel primaryModel = AnthropicEntryModel.create(
					base.substring(0, base.length() - "/v1".length()), "test-key", "claude-a", GENEROUS);
			try (ResilientChatClient client = hedged(primaryModel)) {
				ChatResponse response = client.call(new Prompt("hello"));

				assertThat(response.getResult().getOutput().getText()).isEqualTo("from B");
				assertThat(provider.requested.await(5, TimeUnit.SECONDS)).isTrue();
				assertThat(provider.closed.await(5, TimeUnit.SECONDS)).as("the client closed the slow connection")
					.isTrue();
			}
		}
	}

	/** Polls (a few ms apart) until the condition holds or the time is up. */
	private static boolean within(Duration limit, java.util.function.BooleanSupplier condition)
			throws InterruptedException {
		long end = System.nanoTime() + limit.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > end) {
				return false;
			}
			Thread.sleep(10);
		}
		return true;
	}

	/**
	 * Reads a request and answers nothing for 10 s, watching the connection: it sees the
	 * client close it (end of stream, or a reset).
	 */
	static final class SilentProvider extends RawHttpServer {

		final CountDownLatch requested = new CountDownLatch(1);

		final CountDownLatch closed = new CountDownLatch(1);

		SilentProvider() throws IOException {
			super("silent-provider");
			start();
		}

		@Override
		void serve(Socket socket) {
			try (socket) {
				socket.setSoTimeout((int) SLOW.toMillis());
				InputStream in = socket.getInputStream();
				readRequest(in);
				this.requested.countDown();
				byte[] buffer = new byte[1024];
				while (in.read(buffer) >= 0) {
					// A chunked body's rest, if any: the client sends nothing else.
				}
				this.closed.countDown();
			}
			catch (SocketTimeoutException stillOpen) {
				// 10 s and the client still waits: not closed.
			}
			catch (IOException reset) {
				this.closed.countDown();
			}
		}

	}

}

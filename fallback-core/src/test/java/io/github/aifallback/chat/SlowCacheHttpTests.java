package io.github.aifallback.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.lastgood.CacheLastGoodStore;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.cache.Cache;
import org.springframework.cache.concurrent.ConcurrentMapCache;

import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A slow or failing last-good cache, over real HTTP with the real client: it adds nothing
 * to a healthy call, blocking or streaming, and a degraded call still ends by its deadline.
 * The slow cache is a Spring {@link Cache} whose reads and writes take 3 s, as a Redis
 * would that hangs; times are measured with bounds far from 3 s.
 */
class SlowCacheHttpTests {

	private static final Duration CACHE_DELAY = Duration.ofSeconds(3);

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(provider);
	}

	private ResilientChatClient client(Cache cache, Duration deadline) {
		return ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "model-a",
					OpenAiEntryModel.create(baseUrl(provider), "k", "model-a", Duration.ofMillis(500))))
			.retry(RetrySettings.custom().maxAttempts(1).build())
			.timeout(Duration.ofMillis(500))
			.deadline(deadline)
			.lastGoodStore(new CacheLastGoodStore(cache, Duration.ofHours(1), Clock.systemUTC()))
			.build();
	}

	@Test
	void whenTheCacheTakesThreeSecondsThenAHealthyCallDoesNotWaitForIt() throws Exception {
		provider.stubFor(completion("model-a").willReturn(answer("model-a", "fine")));
		SlowCache cache = new SlowCache();
		ResilientChatClient client = client(cache, Duration.ofSeconds(10));

		long millis = timed(() -> client.call("healthy?"));

		assertThat(millis).as("the write goes on in the background").isLessThan(1_500);
		provider.verify(1, requestsFor("model-a"));
	}

	@Test
	void whenTheCacheTakesThreeSecondsThenAHealthyStreamDoesNotWaitForIt() throws Exception {
		provider.stubFor(completion("model-a").willReturn(OpenAiStubs.sse("model-a", "fi", "ne")));
		ResilientChatClient client = client(new SlowCache(), Duration.ofSeconds(10));

		long millis = timed(() -> client.stream(new Prompt("healthy?")).blockLast());

		assertThat(millis).isLessThan(1_500);
	}

	@Test
	void whenTheCacheTakesThreeSecondsThenADegradedStreamEndsByItsDeadline() {
		provider.stubFor(completion("model-a").willReturn(serverError()));
		ResilientChatClient client = client(new SlowCache(), Duration.ofSeconds(1));

		long started = System.nanoTime();
		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> client.stream(new org.springframework.ai.chat.prompt.Prompt("down?"))
				.blockLast(Duration.ofSeconds(10)));
		long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

		assertThat(millis).as("deadline 1 s, and a read that times out is a miss").isLessThan(1_400);
	}

	@Test
	void whenTheCacheTakesThreeSecondsThenADegradedCallEndsByItsDeadline() throws Exception {
		provider.stubFor(completion("model-a").willReturn(serverError()));
		ResilientChatClient client = client(new SlowCache(), Duration.ofSeconds(1));

		long started = System.nanoTime();
		assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> client.call("down?"));
		long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();

		assertThat(millis).as("deadline 1 s, and a read that times out is a miss").isLessThan(1_400);
	}

	@Test
	void whenTheCacheThrowsThenCallsSucceedAndDegradedCallsFailWithoutWaiting() throws Exception {
		provider.stubFor(completion("model-a").willReturn(answer("model-a", "fine")));
		ResilientChatClient client = client(new ThrowingCache(), Duration.ofSeconds(10));
		assertThat(client.call("q")).isEqualTo("fine");
		provider.stubFor(completion("model-a").willReturn(serverError()));

		long millis = timed(() -> {
			assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(() -> client.call("q"));
			return null;
		});

		assertThat(millis).isLessThan(1_000);
	}

	private static long timed(Callable<?> action) throws Exception {
		long started = System.nanoTime();
		action.call();
		return Duration.ofNanos(System.nanoTime() - started).toMillis();
	}

	/** A cache whose every read and write takes 3 s. */
	static final class SlowCache extends ConcurrentMapCache {

		SlowCache() {
			super("slow");
		}

		@Override
		protected Object lookup(Object key) {
			pause();
			return super.lookup(key);
		}

		@Override
		public void put(Object key, Object value) {
			pause();
			super.put(key, value);
		}

		private static void pause() {
			try {
				Thread.sleep(CACHE_DELAY.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

	/** A cache whose backend is down. */
	static final class ThrowingCache extends ConcurrentMapCache {

		ThrowingCache() {
			super("broken");
		}

		@Override
		protected Object lookup(Object key) {
			throw new IllegalStateException("connection refused");
		}

		@Override
		public void put(Object key, Object value) {
			throw new IllegalStateException("connection refused");
		}

	}

}

package io.github.aifallback.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.event.DegradedResponseEvent;
import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.lastgood.CacheLastGoodStore;
import io.github.aifallback.chat.lastgood.LastGoodStore;
import io.github.aifallback.chat.lastgood.internal.GuardedLastGoodStore;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.cache.support.NoOpCache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Keys, tenants, the fixed degraded message and a failing cache, with fake entries.
 */
class LastGoodLogicTests {

	private final List<FallbackEvent> events = new ArrayList<>();

	private final RecordingLastGoodStore store = new RecordingLastGoodStore();

	private final List<String> keysWritten = this.store.keysWritten;

	private final ConcurrentMapCache cache = this.store.cache;

	private boolean up = true;

	private ResilientChatClient.Builder client() {
		EntryModel model = (prompt, timeout) -> {
			if (!this.up) {
				throw new IllegalStateException("down");
			}
			return new ChatResponse(List.of(new Generation(new AssistantMessage("answer to " + prompt.getUserMessage().getText()))));
		};
		return ResilientChatClient.builder()
			.entry(ChainEntry.of("only", "m", model))
			.retry(RetrySettings.custom().maxAttempts(1).build())
			.sleeper((duration) -> {
			})
			.listener(this.events::add)
			.lastGoodStore(direct(this.store));
	}

	/** Guarded as every store is, with reads and writes on the calling thread. */
	static LastGoodStore direct(LastGoodStore store) {
		return new GuardedLastGoodStore(store, java.time.Clock.systemUTC(), Runnable::run, Runnable::run);
	}

	@Test
	void whenAnAnswerIsKeptThenItsKeyIsAHashAndNeverThePrompt() {
		client().build().call(new Prompt(List.of(new SystemMessage("be terse"), new UserMessage("my secret question"))));

		assertThat(this.keysWritten).singleElement()
			.asString()
			.matches("[0-9a-f]{64}")
			.doesNotContain("secret");
	}

	@Test
	void whenOtherCallsAreRunningOrTheCallWasSlowThenItsAnswerGoesToTheStoresBatchAndElseItIsWrittenAtOnce()
			throws Exception {
		MutableClock clock = new MutableClock();
		ConcurrentMapCache cache = new ConcurrentMapCache("answers");
		List<Runnable> batches = new ArrayList<>();
		GuardedLastGoodStore guarded = new GuardedLastGoodStore(new CacheLastGoodStore(cache, Duration.ofHours(1), clock),
				clock, Runnable::run, batches::add);
		java.util.concurrent.CountDownLatch slowStarted = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.CountDownLatch releaseSlow = new java.util.concurrent.CountDownLatch(1);
		EntryModel model = (prompt, timeout) -> {
			String text = prompt.getUserMessage().getText();
			if (text.equals("blocked")) {
				slowStarted.countDown();
				try {
					releaseSlow.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			if (text.equals("waits on its provider")) {
				clock.advance(GuardedLastGoodStore.IN_MEMORY_BATCH);
			}
			return new ChatResponse(List.of(new Generation(new AssistantMessage("answer to " + text),
					org.springframework.ai.chat.metadata.ChatGenerationMetadata.builder().finishReason("stop").build())));
		};
		ResilientChatClient client = ResilientChatClient.builder()
			.entry(ChainEntry.of("only", "m", model))
			.retry(RetrySettings.custom().maxAttempts(1).build())
			.clock(clock)
			.lastGoodStore(guarded)
			.build();
		java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
		try {
			client.call(new Prompt("quick and alone"));
			assertThat(cache.getNativeCache()).as("a quick call running alone writes its answer itself").hasSize(1);
			client.stream(new Prompt("a quick stream alone")).blockLast();
			assertThat(cache.getNativeCache()).as("so does a quick stream").hasSize(2);
			assertThat(batches).isEmpty();

			client.call(new Prompt("waits on its provider"));
			assertThat(cache.getNativeCache()).as("a call as slow as a batch leaves it to the batch").hasSize(2);
			assertThat(batches).hasSize(1);
			batches.remove(0).run();
			assertThat(cache.getNativeCache()).hasSize(3);

			java.util.concurrent.Future<ChatResponse> blocked = other.submit(() -> client.call(new Prompt("blocked")));
			slowStarted.await();
			client.stream(new Prompt("a quick stream beside the blocked call")).blockLast();
			assertThat(cache.getNativeCache()).as("a stream's answer queued while a call runs").hasSize(3);
			assertThat(batches).hasSize(1);
			client.call(new Prompt("beside the blocked one"));
			assertThat(cache.getNativeCache()).as("queued while another call runs").hasSize(3);
			assertThat(batches).hasSize(1);
			releaseSlow.countDown();
			blocked.get();

			batches.forEach(Runnable::run);
			assertThat(cache.getNativeCache()).hasSize(6);
		}
		finally {
			releaseSlow.countDown();
			other.shutdownNow();
		}
	}

	@Test
	void whenTheSystemMessageDiffersThenTheKeyDiffers() {
		ResilientChatClient client = client().build();
		client.call(new Prompt(List.of(new SystemMessage("be terse"), new UserMessage("q"))));
		client.call(new Prompt(List.of(new SystemMessage("be verbose"), new UserMessage("q"))));

		assertThat(this.keysWritten).hasSize(2).doesNotHaveDuplicates();
	}

	@Test
	void whenTwoTenantsSendTheSamePromptThenNeitherSeesTheOthersAnswer() throws Exception {
		ThreadLocal<String> tenant = new ThreadLocal<>();
		ResilientChatClient client = client()
			.keyResolver((prompt, fingerprint) -> tenant.get() + ":" + fingerprint)
			.build();
		asTenant(tenant, "acme", () -> client.call(new Prompt("what is our revenue?")));
		this.up = false;

		assertThatExceptionOfType(AllModelsFailedException.class)
			.isThrownBy(() -> asTenant(tenant, "globex", () -> client.call(new Prompt("what is our revenue?"))));
		ChatResponse acme = asTenant(tenant, "acme", () -> client.call(new Prompt("what is our revenue?")));
		assertThat(acme.getMetadata().<Boolean>get(FallbackMetadata.DEGRADED)).isTrue();
		assertThat(this.keysWritten).singleElement().asString().startsWith("acme:");
	}

	@Test
	void whenNoAnswerWasEverKeptThenTheFixedDegradedMessageIsServedMarkedTheSame() {
		this.up = false;

		ChatResponse response = client().degradedMessage("We are busy, try again soon.").build().call(new Prompt("q"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("We are busy, try again soon.");
		assertThat(response.getMetadata().<Boolean>get(FallbackMetadata.DEGRADED)).isTrue();
		assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("cache");
		assertThat(this.events).filteredOn(DegradedResponseEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> assertThat(((DegradedResponseEvent) event).fixedMessage()).isTrue());
	}

	@Test
	void whenADegradedAnswerIsServedThenAnEventSaysSo() {
		ResilientChatClient client = client().build();
		client.call(new Prompt("q"));
		this.up = false;

		client.call(new Prompt("q"));

		assertThat(this.events).filteredOn(DegradedResponseEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> {
				DegradedResponseEvent degraded = (DegradedResponseEvent) event;
				assertThat(degraded.fixedMessage()).isFalse();
				assertThat(degraded.failedAttempts()).isEqualTo(1);
			});
	}

	@Test
	void whenTheCacheItselfFailsThenCallsStillSucceed() {
		ResilientChatClient client = client()
			.lastGoodStore(new CacheLastGoodStore(new BrokenCache(), Duration.ofHours(1), java.time.Clock.systemUTC()))
			.build();

		assertThat(client.call("q")).isEqualTo("answer to q");
	}

	@Test
	void whenTheResolverReturnsNullThenNothingIsKept() {
		client().keyResolver((prompt, fingerprint) -> null).build().call(new Prompt("q"));

		assertThat(this.keysWritten).isEmpty();
	}

	private static <T> T asTenant(ThreadLocal<String> tenant, String name, Callable<T> action) throws Exception {
		tenant.set(name);
		try {
			return action.call();
		}
		finally {
			tenant.remove();
		}
	}

	/** A cache whose backend is down. */
	static final class BrokenCache extends NoOpCache {

		BrokenCache() {
			super("broken");
		}

		@Override
		public <T> T get(Object key, Class<T> type) {
			throw new IllegalStateException("connection refused");
		}

		@Override
		public void put(Object key, Object value) {
			throw new IllegalStateException("connection refused");
		}

	}

}

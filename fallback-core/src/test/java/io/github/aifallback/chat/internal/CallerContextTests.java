package io.github.aifallback.chat.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.HedgeSettings;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.model.ChatModelEntryModel;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attempts the engine runs on threads of its own (a hedged entry, a {@code ChatModel}
 * bean) see the caller's thread-locals that are registered with Micrometer's
 * {@code ContextRegistry}, as Spring Security's context is when an application registers
 * it: an HTTP interceptor that reads them works whatever thread makes the request.
 */
class CallerContextTests {

	private static final String KEY = "ai-fallback-test-tenant";

	private static final ThreadLocal<String> TENANT = new ThreadLocal<>();

	private final AtomicReference<String> seenTenant = new AtomicReference<>();

	private final AtomicReference<Thread> seenThread = new AtomicReference<>();

	@BeforeEach
	void register() {
		ContextRegistry.getInstance().registerThreadLocalAccessor(new ThreadLocalAccessor<String>() {

			@Override
			public Object key() {
				return KEY;
			}

			@Override
			public String getValue() {
				return TENANT.get();
			}

			@Override
			public void setValue(String value) {
				TENANT.set(value);
			}

			@Override
			public void setValue() {
				TENANT.remove();
			}

		});
		TENANT.set("tenant-a");
	}

	@AfterEach
	void unregister() {
		ContextRegistry.getInstance().removeThreadLocalAccessor(KEY);
		TENANT.remove();
	}

	@Test
	void whenAHedgedEntryRunsItsAttemptOnAHedgingThreadThenTheAttemptSeesTheCallersThreadLocals() {
		EntryModel model = (prompt, timeout) -> answer();
		try (ResilientChatClient client = ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "m1", model).withHedge(HedgeSettings.after(Duration.ofSeconds(30))))
			.entry(ChainEntry.of("secondary", "m2", model))
			.build()) {

			assertThat(client.call("hello")).isEqualTo("ok");
		}

		assertThat(this.seenThread.get()).isNotSameAs(Thread.currentThread());
		assertThat(this.seenTenant.get()).isEqualTo("tenant-a");
	}

	@Test
	void whenAChatModelBeanEntryRunsOnItsOwnThreadThenItSeesTheCallersThreadLocals() {
		ChatModel bean = new ChatModel() {

			@Override
			public ChatResponse call(Prompt prompt) {
				return answer();
			}

			@Override
			public Flux<ChatResponse> stream(Prompt prompt) {
				return Flux.just(answer());
			}

		};
		try (ResilientChatClient client = ResilientChatClient.builder()
			.entry(ChainEntry.of("bean", "m", ChatModelEntryModel.of(bean)))
			.build()) {

			assertThat(client.call("hello")).isEqualTo("ok");
		}

		assertThat(this.seenThread.get()).isNotSameAs(Thread.currentThread());
		assertThat(this.seenTenant.get()).isEqualTo("tenant-a");
	}

	@Test
	void whenTheAttemptEndsThenItsThreadNoLongerHoldsTheCallersThreadLocals() throws Exception {
		AtomicReference<String> afterwards = new AtomicReference<>("unset");
		java.util.concurrent.Callable<String> task = CallerContext.wrap(TENANT::get);
		Thread other = new Thread(() -> {
			try {
				this.seenTenant.set(task.call());
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			afterwards.set(TENANT.get());
		});
		other.start();
		other.join();

		assertThat(this.seenTenant.get()).isEqualTo("tenant-a");
		assertThat(afterwards.get()).isNull();
	}

	private ChatResponse answer() {
		this.seenTenant.set(TENANT.get());
		this.seenThread.set(Thread.currentThread());
		return new ChatResponse(List.of(new Generation(new AssistantMessage("ok"))));
	}

}

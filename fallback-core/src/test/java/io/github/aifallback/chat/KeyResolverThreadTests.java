package io.github.aifallback.chat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.lastgood.CacheLastGoodStore;
import io.github.aifallback.chat.lastgood.ContextualKeyResolver;
import io.github.aifallback.chat.lastgood.LastGoodKeyResolver;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.cache.concurrent.ConcurrentMapCache;

import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last-good key resolver runs on the caller's thread, for streams too, so that a
 * thread-local tenant is the caller's; a {@link ContextualKeyResolver} reads the Reactor
 * context. Over real HTTP: the SDK completes on its own threads.
 */
class KeyResolverThreadTests {

	private static final ThreadLocal<String> TENANT = new ThreadLocal<>();

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	private final Set<Thread> resolverThreads = ConcurrentHashMap.newKeySet();

	private final LastGoodKeyResolver byThreadLocalTenant = (prompt, fingerprint) -> {
		this.resolverThreads.add(Thread.currentThread());
		return TENANT.get() + ":" + fingerprint;
	};

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(provider);
	}

	@AfterEach
	void clear() {
		TENANT.remove();
	}

	private ResilientChatClient client(LastGoodKeyResolver resolver) {
		return ResilientChatClient.builder()
			.entry(new ChainEntry("only", "model-a",
					OpenAiEntryModel.create(baseUrl(provider), "k", "model-a", Duration.ofSeconds(5)), null, 1))
			.lastGoodStore(new CacheLastGoodStore(new ConcurrentMapCache("answers"), Duration.ofHours(1),
					Clock.systemUTC()))
			.keyResolver(resolver)
			.build();
	}

	private static String text(List<ChatResponse> chunks) {
		StringBuilder text = new StringBuilder();
		chunks.forEach((chunk) -> text.append(chunk.getResult().getOutput().getText()));
		return text.toString();
	}

	private static String stream(ResilientChatClient client, String tenant) {
		TENANT.set(tenant);
		// Subscribed elsewhere, as a web framework does: the tenant is only on this thread.
		Flux<ChatResponse> flux = client.stream(new Prompt("same question"));
		TENANT.remove();
		return text(flux.subscribeOn(Schedulers.boundedElastic()).collectList().block(Duration.ofSeconds(10)));
	}

	private static String call(ResilientChatClient client, String tenant) {
		TENANT.set(tenant);
		try {
			return client.call(new Prompt("same question")).getResult().getOutput().getText();
		}
		finally {
			TENANT.remove();
		}
	}

	@Test
	void whenTwoTenantsStreamTheSamePromptThenEachIsServedOnlyItsOwnDegradedAnswer() {
		ResilientChatClient client = client(this.byThreadLocalTenant);
		provider.stubFor(completion("model-a").willReturn(OpenAiStubs.sse("model-a", "for ", "A")));
		assertThat(stream(client, "a")).isEqualTo("for A");
		provider.stubFor(completion("model-a").willReturn(OpenAiStubs.sse("model-a", "for ", "B")));
		assertThat(stream(client, "b")).isEqualTo("for B");
		provider.stubFor(completion("model-a").willReturn(serverError()));

		assertThat(stream(client, "a")).isEqualTo("for A");
		assertThat(stream(client, "b")).isEqualTo("for B");
		assertThat(this.resolverThreads).as("only the test's own thread").containsExactly(Thread.currentThread());
	}

	@Test
	void whenTwoTenantsCallWithTheSamePromptThenEachIsServedOnlyItsOwnDegradedAnswer() {
		ResilientChatClient client = client(this.byThreadLocalTenant);
		provider.stubFor(completion("model-a").willReturn(answer("model-a", "for A")));
		assertThat(call(client, "a")).isEqualTo("for A");
		provider.stubFor(completion("model-a").willReturn(answer("model-a", "for B")));
		assertThat(call(client, "b")).isEqualTo("for B");
		provider.stubFor(completion("model-a").willReturn(serverError()));

		assertThat(call(client, "a")).isEqualTo("for A");
		assertThat(call(client, "b")).isEqualTo("for B");
		assertThat(this.resolverThreads).containsExactly(Thread.currentThread());
	}

	@Test
	void whenTheTenantIsInTheReactorContextThenAContextualResolverReadsItAtSubscription() {
		ContextualKeyResolver byContext = (prompt, fingerprint, context) -> context.getOrDefault("tenant", "none")
				+ ":" + fingerprint;
		ResilientChatClient client = client(byContext);
		provider.stubFor(completion("model-a").willReturn(OpenAiStubs.sse("model-a", "for ", "A")));
		streamIn(client, "a");
		provider.stubFor(completion("model-a").willReturn(serverError()));

		assertThat(streamIn(client, "a")).isEqualTo("for A");
		assertThat(streamIn(client, "b")).as("no answer of tenant a for tenant b").isNull();
	}

	private static String streamIn(ResilientChatClient client, String tenant) {
		try {
			return text(client.stream(new Prompt("same question"))
				.contextWrite(Context.of("tenant", tenant))
				.collectList()
				.block(Duration.ofSeconds(10)));
		}
		catch (AllModelsFailedException ex) {
			return null;
		}
	}

}

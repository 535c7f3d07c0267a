package io.github.aifallback.autoconfigure;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.AllModelsFailedException;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.OpenAiStubs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.error;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The auto-configured client over real HTTP: where each entry's URL and key come from, and
 * that a key never leaks into logs, exceptions or {@code toString()}.
 */
@ExtendWith(OutputCaptureExtension.class)
class FallbackAutoConfigurationHttpTests {

	private static final String CANARY = "canary-key-7f3a9c21e4b5d6";

	@RegisterExtension
	static WireMockExtension gateway = OpenAiStubs.provider();

	@org.junit.jupiter.api.BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(gateway);
	}

	@RegisterExtension
	static WireMockExtension bridge = OpenAiStubs.provider();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withBean(ResilientChatClientCustomizer.class, () -> (builder) -> builder.sleeper((duration) -> {
		}))
		.withPropertyValues("ai.fallback.retry.max-attempts=2");

	@Test
	void whenEntriesTakeTheirUrlAndKeyFromProviderThenDefaultsThenEachRequestCarriesTheRightKey() {
		gateway.stubFor(completion("model-a").willReturn(serverError()));
		bridge.stubFor(completion("model-b").willReturn(serverError()));
		gateway.stubFor(completion("model-c").willReturn(answer("model-c", "from C")));
		this.runner
			.withPropertyValues("spring.ai.openai.base-url=" + baseUrl(gateway), "spring.ai.openai.api-key=gateway-key",
					"ai.fallback.providers.bridge.base-url=" + baseUrl(bridge),
					"ai.fallback.providers.bridge.api-key=bridge-key", "ai.fallback.chain[0].model=model-a",
					"ai.fallback.chain[0].base-url=" + baseUrl(gateway), "ai.fallback.chain[0].api-key=own-key",
					"ai.fallback.chain[1].model=model-b",
					"ai.fallback.chain[1].provider=bridge", "ai.fallback.chain[2].model=model-c")
			.run((context) -> {
				ChatResponse response = context.getBean(ResilientChatClient.class).call(new Prompt("hello"));

				assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("model-c");
				gateway.verify(2, requestsFor("model-a").withHeader("Authorization", equalTo("Bearer own-key")));
				bridge.verify(2, requestsFor("model-b").withHeader("Authorization", equalTo("Bearer bridge-key")));
				gateway.verify(1, requestsFor("model-c").withHeader("Authorization", equalTo("Bearer gateway-key")));
			});
	}

	@Test
	void whenEveryFailureKindHappensThenTheKeyAppearsInNoLogExceptionOrToString(CapturedOutput output) {
		gateway.stubFor(completion("model-a").willReturn(error(401, "invalid_request_error", "invalid_api_key")));
		gateway.stubFor(completion("model-b").willReturn(error(429, "requests", "rate_limit_exceeded")));
		gateway.stubFor(completion("model-c").willReturn(answer("model-c", "slow").withFixedDelay(2_000)));
		gateway.stubFor(completion("model-d").willReturn(serverError()));
		this.runner
			.withPropertyValues("ai.fallback.providers.main.base-url=" + baseUrl(gateway),
					"ai.fallback.providers.main.api-key=" + CANARY, "ai.fallback.timeout=200ms",
					"ai.fallback.chain[0].model=model-a", "ai.fallback.chain[0].provider=main",
					"ai.fallback.chain[1].model=model-b", "ai.fallback.chain[1].provider=main",
					"ai.fallback.chain[2].model=model-c", "ai.fallback.chain[2].provider=main",
					"ai.fallback.chain[3].model=model-d", "ai.fallback.chain[3].provider=main",
					"ai.fallback.chain[3].base-url=" + baseUrl(gateway), "ai.fallback.chain[3].api-key=" + CANARY)
			.run((context) -> {
				ResilientChatClient client = context.getBean(ResilientChatClient.class);
				AllModelsFailedException failure = catchThrowableOfType(AllModelsFailedException.class,
						() -> client.call(new Prompt("a prompt that must not be logged")));

				assertThat(failure).isNotNull();
				assertThat(failure.getAttempts()).hasSize(7);
				gateway.verify(1, requestsFor("model-a").withHeader("Authorization", equalTo("Bearer " + CANARY)));
				StringWriter trace = new StringWriter();
				failure.printStackTrace(new PrintWriter(trace));
				assertThat(trace.toString()).doesNotContain(CANARY).doesNotContain("must not be logged");
				assertThat(failure.toString()).doesNotContain(CANARY);
				assertThat(client.toString()).doesNotContain(CANARY);
				assertThat(client.getEntries().toString()).doesNotContain(CANARY);
				client.getEntries()
					.forEach((entry) -> assertThat(entry.entryModel().toString()).doesNotContain(CANARY));
				assertThat(context.getBean(FallbackProperties.class).getProviders().toString())
					.doesNotContain(CANARY);
				assertThat(context.getBean(FallbackProperties.class).getChain().toString()).doesNotContain(CANARY);
				assertThat(output).contains("AI fallback: attempt 1/2 on 'model-a' failed: AUTH (HTTP 401)")
					.contains("TIMEOUT")
					.contains("RATE_LIMITED (HTTP 429)")
					.doesNotContain(CANARY)
					.doesNotContain("must not be logged");
			});
	}

	@Test
	void whenTheApplicationCustomizesSpringAiHttpClientsThenEveryEntryUsesTheCustomization() {
		gateway.stubFor(completion("model-a").willReturn(answer("model-a", "from A")));
		this.runner
			.withBean(org.springframework.ai.openai.http.okhttp.OpenAiHttpClientBuilderCustomizer.class,
					() -> (builder) -> builder.interceptor((chain) -> chain
						.proceed(chain.request().newBuilder().header("X-Corporate-Proxy", "tagged").build())))
			.withPropertyValues("spring.ai.openai.base-url=" + baseUrl(gateway), "spring.ai.openai.api-key=k",
					"ai.fallback.chain[0].model=model-a")
			.run((context) -> {
				context.getBean(ResilientChatClient.class).call(new Prompt("hello"));

				gateway.verify(1, requestsFor("model-a").withHeader("X-Corporate-Proxy", equalTo("tagged")));
			});
	}

	@Test
	void whenTheApplicationHasAnObservationRegistryThenSpringAiObservesEveryAttempt() {
		gateway.stubFor(completion("model-a").willReturn(serverError()));
		gateway.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		java.util.List<String> observed = new java.util.concurrent.CopyOnWriteArrayList<>();
		io.micrometer.observation.ObservationRegistry registry = io.micrometer.observation.ObservationRegistry.create();
		registry.observationConfig().observationHandler(new io.micrometer.observation.ObservationHandler<>() {

			@Override
			public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
				return true;
			}

			@Override
			public void onStart(io.micrometer.observation.Observation.Context context) {
				observed.add(context.getName());
			}

		});
		this.runner.withBean(io.micrometer.observation.ObservationRegistry.class, () -> registry)
			.withPropertyValues("spring.ai.openai.base-url=" + baseUrl(gateway), "spring.ai.openai.api-key=k",
					"ai.fallback.retry.max-attempts=1", "ai.fallback.chain[0].model=model-a",
					"ai.fallback.chain[1].model=model-b")
			.run((context) -> {
				context.getBean(ResilientChatClient.class).call(new Prompt("hello"));

				assertThat(observed).filteredOn("gen_ai.client.operation"::equals).hasSize(2);
			});
	}

	@Test
	void whenTheTimeoutIsShortThenAHangingEntryIsAbandonedInTime() {
		gateway.stubFor(completion("model-a").willReturn(answer("model-a", "late").withFixedDelay(2_000)));
		gateway.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		this.runner
			.withPropertyValues("spring.ai.openai.base-url=" + baseUrl(gateway), "spring.ai.openai.api-key=k",
					"ai.fallback.chain[0].model=model-a", "ai.fallback.chain[0].timeout=200ms",
					"ai.fallback.chain[0].max-attempts=1", "ai.fallback.chain[1].model=model-b")
			.run((context) -> {
				long started = System.nanoTime();
				ChatResponse response = context.getBean(ResilientChatClient.class).call(new Prompt("hello"));

				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
				assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("model-b");
				gateway.verify(1, requestsFor("model-a"));
				gateway.verify(1, requestsFor("model-b"));
			});
	}

}

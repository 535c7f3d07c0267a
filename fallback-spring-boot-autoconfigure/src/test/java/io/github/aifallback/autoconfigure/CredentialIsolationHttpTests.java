package io.github.aifallback.autoconfigure;

import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP: a key goes only to the URL configured beside it, and a header only to the
 * entries it is meant for. Every request every server received is checked, not just one.
 */
class CredentialIsolationHttpTests {

	private static final String DEFAULT_KEY = "spring-ai-default-key-4d2f";

	@RegisterExtension
	static WireMockExtension gateway = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension bridge = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension vendor = OpenAiStubs.provider();

	@BeforeAll
	static void warmUp() {
		OpenAiStubs.warmUp(gateway);
	}

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withBean(ResilientChatClientCustomizer.class, () -> (builder) -> builder.sleeper((duration) -> {
		}))
		.withPropertyValues("ai.fallback.warm-up=false", "ai.fallback.retry.max-attempts=1",
				"spring.ai.openai.base-url=" + baseUrl(gateway), "spring.ai.openai.api-key=" + DEFAULT_KEY);

	@Test
	void whenAProviderHasItsOwnUrlAndAnEmptyKeyThenTheDefaultKeyNeverReachesItsHost() {
		bridge.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		this.runner
			.withPropertyValues("ai.fallback.providers.bridge.base-url=" + baseUrl(bridge),
					"ai.fallback.providers.bridge.api-key=", "ai.fallback.chain[0].model=model-b",
					"ai.fallback.chain[0].provider=bridge")
			.run((context) -> {
				callIfStarted(context);

				assertThat(authorizations(bridge)).doesNotContain("Bearer " + DEFAULT_KEY).isEmpty();
				assertThat(authorizations(gateway)).isEmpty();
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("ai.fallback.providers.bridge.api-key");
			});
	}

	@Test
	void whenAnEntryHasOnlyAUrlThenTheDefaultKeyNeverReachesItsHost() {
		bridge.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		this.runner
			.withPropertyValues("ai.fallback.chain[0].model=model-b",
					"ai.fallback.chain[0].base-url=" + baseUrl(bridge))
			.run((context) -> {
				callIfStarted(context);

				assertThat(authorizations(bridge)).doesNotContain("Bearer " + DEFAULT_KEY).isEmpty();
				assertThat(context).hasFailed();
			});
	}

	/** Where a wrong pair is (wrongly) accepted, show what would leave. */
	private static void callIfStarted(AssertableApplicationContext context) {
		if (context.getStartupFailure() == null) {
			try {
				context.getBean(ResilientChatClient.class).call(new Prompt("hello"));
			}
			catch (RuntimeException ex) {
				// the requests received are what the test checks
			}
		}
	}

	@Test
	void whenEveryEntryFailsOverEveryHostThenEachHostOnlyEverSawTheKeyConfiguredForIt() {
		gateway.stubFor(completion("model-a").willReturn(serverError()));
		bridge.stubFor(completion("model-b").willReturn(serverError()));
		vendor.stubFor(completion("model-c").willReturn(serverError()));
		gateway.stubFor(completion("model-d").willReturn(answer("model-d", "from D")));
		this.runner
			.withPropertyValues("ai.fallback.providers.bridge.base-url=" + baseUrl(bridge),
					"ai.fallback.providers.bridge.api-key=bridge-key", "ai.fallback.chain[0].model=model-a",
					"ai.fallback.chain[1].model=model-b", "ai.fallback.chain[1].provider=bridge",
					"ai.fallback.chain[2].model=model-c", "ai.fallback.chain[2].provider=bridge",
					"ai.fallback.chain[2].base-url=" + baseUrl(vendor), "ai.fallback.chain[2].api-key=vendor-key",
					"ai.fallback.chain[3].model=model-d")
			.run((context) -> {
				ChatResponse response = context.getBean(ResilientChatClient.class).call(new Prompt("hello"));

				assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("model-d");
				assertThat(authorizations(gateway)).hasSize(2).containsOnly("Bearer " + DEFAULT_KEY);
				assertThat(authorizations(bridge)).containsExactly("Bearer bridge-key");
				assertThat(authorizations(vendor)).containsExactly("Bearer vendor-key");
			});
	}

	@Test
	void whenACallerSetsAHeaderForOneEntryThenOnlyThatEntrysServerReceivesIt() {
		gateway.stubFor(completion("model-a").willReturn(serverError()));
		bridge.stubFor(completion("model-b").willReturn(serverError()));
		vendor.stubFor(completion("model-c").willReturn(answer("model-c", "from C")));
		this.runner
			.withPropertyValues("ai.fallback.providers.bridge.base-url=" + baseUrl(bridge),
					"ai.fallback.providers.bridge.api-key=bridge-key",
					"ai.fallback.providers.bridge.forward-headers=X-Gateway-Token",
					"ai.fallback.chain[0].model=model-a", "ai.fallback.chain[1].model=model-b",
					"ai.fallback.chain[1].provider=bridge", "ai.fallback.chain[2].model=model-c",
					"ai.fallback.chain[2].base-url=" + baseUrl(vendor), "ai.fallback.chain[2].api-key=vendor-key")
			.run((context) -> {
				OpenAiChatOptions options = OpenAiChatOptions.builder()
					.customHeaders(Map.of("X-Gateway-Token", "tenant-token", "X-Trace", "t-1"))
					.build();

				context.getBean(ResilientChatClient.class).call(new Prompt("hello", options));

				assertThat(headers(bridge, "X-Gateway-Token")).containsExactly("tenant-token");
				assertThat(headers(bridge, "X-Trace")).hasSize(1).containsOnlyNulls();
				assertThat(headers(gateway, "X-Gateway-Token")).hasSize(1).containsOnlyNulls();
				assertThat(headers(vendor, "X-Gateway-Token")).hasSize(1).containsOnlyNulls();
				assertThat(headers(gateway, "X-Trace")).containsOnlyNulls();
				assertThat(headers(vendor, "X-Trace")).containsOnlyNulls();
			});
	}

	@Test
	void whenAProviderHasAConfiguredHeaderThenOnlyItsEntriesSendIt() {
		gateway.stubFor(completion("model-a").willReturn(serverError()));
		bridge.stubFor(completion("model-b").willReturn(serverError()));
		vendor.stubFor(completion("model-c").willReturn(answer("model-c", "from C")));
		this.runner
			.withPropertyValues("ai.fallback.providers.bridge.base-url=" + baseUrl(bridge),
					"ai.fallback.providers.bridge.api-key=bridge-key",
					"ai.fallback.providers.bridge.headers.cf-aig-authorization=Bearer gateway-token",
					"ai.fallback.chain[0].model=model-a", "ai.fallback.chain[1].model=model-b",
					"ai.fallback.chain[1].provider=bridge", "ai.fallback.chain[2].model=model-c",
					"ai.fallback.chain[2].provider=bridge", "ai.fallback.chain[2].base-url=" + baseUrl(vendor),
					"ai.fallback.chain[2].api-key=vendor-key")
			.run((context) -> {
				context.getBean(ResilientChatClient.class).call(new Prompt("hello"));

				assertThat(headers(bridge, "cf-aig-authorization")).containsExactly("Bearer gateway-token");
				assertThat(headers(gateway, "cf-aig-authorization")).hasSize(1).containsOnlyNulls();
				assertThat(headers(vendor, "cf-aig-authorization")).hasSize(1).containsOnlyNulls();
				assertThat(context.getBean(ResilientChatClient.class).getEntries().get(1).entryModel().secrets())
					.contains("bridge-key", "Bearer gateway-token");
			});
	}

	/** The Authorization header of every request the server received. */
	private static List<String> authorizations(WireMockExtension server) {
		return headers(server, "Authorization");
	}

	private static List<String> headers(WireMockExtension server, String name) {
		return server.findAll(anyRequestedFor(anyUrl())).stream().map((request) -> value(request, name)).toList();
	}

	private static String value(LoggedRequest request, String name) {
		return request.containsHeader(name) ? request.getHeader(name) : null;
	}

}

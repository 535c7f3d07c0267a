package io.github.aifallback.autoconfigure;

import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two application instances share last good answers through the application's Redis
 * {@code CacheManager}: what one instance's healthy chain answered, the other serves,
 * marked degraded, when its own chain fails.
 */
class SharedLastGoodRedisTests {

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	private static LocalRedis redis;

	@BeforeAll
	static void startRedis() throws Exception {
		redis = LocalRedis.start();
	}

	@AfterAll
	static void stopRedis() {
		if (redis != null) {
			redis.close();
		}
	}

	private static ConfigurableApplicationContext instance(String model) {
		return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.run("--spring.cache.type=redis", "--spring.data.redis.host=127.0.0.1",
					"--spring.data.redis.port=" + redis.port(), "--spring.ai.openai.base-url=" + baseUrl(provider),
					"--spring.ai.openai.api-key=test-key", "--ai.fallback.cache.use-cache-manager=true",
					"--ai.fallback.retry.max-attempts=1", "--ai.fallback.chain[0].model=" + model,
					"--ai.fallback.chain[0].name=main");
	}

	@Test
	void whenOneInstanceAnsweredThenAnotherWhoseChainFailsServesThatAnswerMarkedDegraded() {
		provider.stubFor(completion("healthy-model").willReturn(okJsonAnswer()));
		provider.stubFor(completion("broken-model").willReturn(serverError()));
		ChatResponse fresh;
		try (ConfigurableApplicationContext first = instance("healthy-model")) {
			fresh = first.getBean(ResilientChatClient.class).call(new Prompt("Summarise the incident"));
		}

		ChatResponse degraded;
		try (ConfigurableApplicationContext second = instance("broken-model")) {
			degraded = second.getBean(ResilientChatClient.class).call(new Prompt("Summarise the incident"));
		}

		assertThat(fresh.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("main");
		assertThat(degraded.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("cache");
		assertThat(degraded.getMetadata().<Boolean>get(FallbackMetadata.DEGRADED)).isTrue();
		assertThat(degraded.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).singleElement()
			.asString()
			.contains("SERVER_ERROR (HTTP 500)");
		assertThat(degraded.getResult().getOutput().getText()).isEqualTo("All systems recovered at 10:42.");
		assertThat(degraded.getResult().getMetadata().getFinishReason())
			.isEqualTo(fresh.getResult().getMetadata().getFinishReason());
		assertThat(degraded.getMetadata().getId()).isEqualTo("chatcmpl-redis");
		assertThat(degraded.getMetadata().getModel()).isEqualTo("healthy-model");
		assertThat(degraded.getMetadata().getUsage().getPromptTokens()).isEqualTo(21);
		assertThat(degraded.getMetadata().getUsage().getCompletionTokens()).isEqualTo(9);
		assertThat(degraded.getMetadata().getUsage().getTotalTokens()).isEqualTo(30);
		provider.verify(1, requestsFor("healthy-model"));
		provider.verify(1, requestsFor("broken-model"));
	}

	private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okJsonAnswer() {
		return com.github.tomakehurst.wiremock.client.WireMock.okJson("""
				{"id":"chatcmpl-redis","object":"chat.completion","created":1700000000,"model":"healthy-model",
				 "choices":[{"index":0,"message":{"role":"assistant","content":"All systems recovered at 10:42."},
				 "finish_reason":"stop"}],"usage":{"prompt_tokens":21,"completion_tokens":9,"total_tokens":30}}""");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	static class App {

	}

}

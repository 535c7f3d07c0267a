package io.github.aifallback.autoconfigure;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that also has Spring AI's own OpenAI starter: one unambiguous
 * {@link ChatModel}, and Spring AI's {@code ChatClient.Builder} goes through the chain.
 */
class SpringAiCoexistenceTests {

	@RegisterExtension
	static WireMockExtension gateway = OpenAiStubs.provider();

	@Test
	void whenSpringAiOpenAiStarterIsPresentThenTheChatClientBuilderUsesTheResilientClient() {
		gateway.stubFor(completion("chain-model").willReturn(answer("chain-model", "from the chain")));
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.run("--spring.ai.openai.base-url=" + baseUrl(gateway), "--spring.ai.openai.api-key=test-key",
					"--spring.ai.openai.chat.options.model=spring-ai-model", "--ai.fallback.chain[0].model=chain-model")) {

			assertThat(context.getBean(ChatModel.class)).isInstanceOf(ResilientChatClient.class);
			assertThat(context.getBeansOfType(ChatModel.class)).hasSizeGreaterThanOrEqualTo(1);
			String content = context.getBean(ChatClient.Builder.class).build().prompt().user("hi").call().content();

			assertThat(content).isEqualTo("from the chain");
			gateway.verify(1, requestsFor("chain-model"));
			gateway.verify(0, requestsFor("spring-ai-model"));
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}

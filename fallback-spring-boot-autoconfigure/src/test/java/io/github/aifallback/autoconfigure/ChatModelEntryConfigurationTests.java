package io.github.aifallback.autoconfigure;

import java.util.List;

import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.ollama.OllamaChatModel;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.ai.ollama.api.OllamaChatOptions;
import org.springframework.ai.retry.RetryUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ai.fallback.chain[i].chat-model}: an application's {@link ChatModel} bean as a
 * chain entry, and every way of naming the wrong bean failing start-up with the property and
 * the fix.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChatModelEntryConfigurationTests {

	private static final String RETRY_WARNING = "spring.ai.retry.max-attempts=0";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withPropertyValues("ai.fallback.warm-up=false");

	private static ChatModel answering(String text) {
		return (prompt) -> new ChatResponse(List.of(new Generation(new AssistantMessage(text))));
	}

	private static OllamaChatModel ollama(RetryTemplate retryTemplate) {
		return OllamaChatModel.builder()
			.ollamaApi(OllamaApi.builder().baseUrl("http://127.0.0.1:9").build())
			.options(OllamaChatOptions.builder().model("llama").build())
			.retryTemplate(retryTemplate)
			.build();
	}

	@Test
	void whenAnEntryNamesAChatModelBeanThenThatBeanServesUnderItsName() {
		this.runner.withBean("localModel", ChatModel.class, () -> answering("from the bean"))
			.withPropertyValues("ai.fallback.chain[0].chat-model=localModel")
			.run((context) -> {
				ChatResponse response = context.getBean(ResilientChatClient.class).call(new Prompt("hi"));
				assertThat(response.getResult().getOutput().getText()).isEqualTo("from the bean");
				assertThat(response.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("localModel");
			});
	}

	@Test
	void whenAChatModelEntryHasANameThenItServesUnderThatName() {
		this.runner.withBean("localModel", ChatModel.class, () -> answering("from the bean"))
			.withPropertyValues("ai.fallback.chain[0].chat-model=localModel", "ai.fallback.chain[0].name=local")
			.run((context) -> assertThat(context.getBean(ResilientChatClient.class)
				.call(new Prompt("hi"))
				.getMetadata()
				.<String>get(FallbackMetadata.SERVED_BY)).isEqualTo("local"));
	}

	@Test
	void whenTheBeanDoesNotExistThenStartupFailsListingTheChatModelBeans() {
		this.runner.withBean("localModel", ChatModel.class, () -> answering("x"))
			.withPropertyValues("ai.fallback.chain[0].chat-model=ollamaChatModel")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].chat-model", "[localModel]"));
	}

	@Test
	void whenTheBeanIsNotAChatModelThenStartupFails() {
		this.runner.withBean("notAModel", String.class, () -> "text")
			.withPropertyValues("ai.fallback.chain[0].chat-model=notAModel")
			.run((context) -> {
				assertFailure(context, "ai.fallback.chain[0].chat-model", "a ChatModel bean");
				assertThat(context.getStartupFailure()).hasStackTraceContaining("is not a Spring AI ChatModel");
			});
	}

	@Test
	void whenTheEntryNamesTheResilientClientThenStartupFailsInsteadOfLooping() {
		this.runner.withPropertyValues("ai.fallback.chain[0].chat-model=resilientChatClient")
			.run((context) -> {
				assertFailure(context, "ai.fallback.chain[0].chat-model", "a vendor's ChatModel bean");
				assertThat(context.getStartupFailure()).hasStackTraceContaining("the chain would call itself");
			});
	}

	@Test
	void whenTheBeanNameIsBlankThenStartupFails() {
		this.runner.withPropertyValues("ai.fallback.chain[0].chat-model= ")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].chat-model", "the name of a ChatModel bean"));
	}

	@Test
	void whenAChatModelEntryAlsoSetsABaseUrlThenStartupFails() {
		this.runner.withBean("localModel", ChatModel.class, () -> answering("x"))
			.withPropertyValues("ai.fallback.chain[0].chat-model=localModel",
					"ai.fallback.chain[0].base-url=http://127.0.0.1:9/v1")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].base-url", "Remove ai.fallback.chain[0].base-url"));
	}

	@Test
	void whenAChatModelEntryAlsoSetsAnApiKeyThenStartupFailsWithoutShowingIt() {
		this.runner.withBean("localModel", ChatModel.class, () -> answering("x"))
			.withPropertyValues("ai.fallback.chain[0].chat-model=localModel", "ai.fallback.chain[0].api-key=canary-key-7d")
			.run((context) -> {
				assertFailure(context, "ai.fallback.chain[0].api-key", "Remove ai.fallback.chain[0].api-key");
				assertThat(context.getStartupFailure()).hasStackTraceContaining("api-key")
					.satisfies((ex) -> assertThat(ex.toString()).doesNotContain("canary-key-7d"));
			});
	}

	@Test
	void whenAChatModelEntryAlsoNamesAProviderThenStartupFails() {
		this.runner.withBean("localModel", ChatModel.class, () -> answering("x"))
			.withPropertyValues("ai.fallback.chain[0].chat-model=localModel", "ai.fallback.chain[0].provider=bridge",
					"ai.fallback.providers.bridge.base-url=http://127.0.0.1:9/v1",
					"ai.fallback.providers.bridge.api-key=k")
			.run((context) -> assertFailure(context, "ai.fallback.chain[0].provider", "Remove ai.fallback.chain[0].provider"));
	}

	@Test
	void whenTheOllamaBeanRetriesByItselfThenStartupWarnsOnceHowToTurnItOff(CapturedOutput output) {
		this.runner.withBean("ollamaChatModel", ChatModel.class, () -> ollama(RetryUtils.DEFAULT_RETRY_TEMPLATE))
			.withPropertyValues("ai.fallback.chain[0].chat-model=ollamaChatModel")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output.getOut().split(RETRY_WARNING, -1)).hasSize(2);
				assertThat(output.getOut()).contains("'ollamaChatModel' of ai.fallback.chain[0] retries up to 10 times");
			});
	}

	@Test
	void whenTheOllamaBeanDoesNotRetryThenStartupDoesNotWarn(CapturedOutput output) {
		this.runner
			.withBean("ollamaChatModel", ChatModel.class,
					() -> ollama(new RetryTemplate(RetryPolicy.builder().maxRetries(0).build())))
			.withPropertyValues("ai.fallback.chain[0].chat-model=ollamaChatModel")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output.getOut()).doesNotContain(RETRY_WARNING);
			});
	}

	private static void assertFailure(AssertableApplicationContext context, String property, String fix) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis").isNotNull();
		assertThat(analysis.getDescription()).contains("Property: " + property);
		assertThat(analysis.getAction()).contains(fix);
	}

}

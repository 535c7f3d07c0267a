package io.github.aifallback.autoconfigure;

import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.deployment.RateLimitState;
import io.github.aifallback.chat.model.ChatModelEntryModel;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * A Spring AI {@link ChatModel} bean of the application, looked up by the name an entry's
 * {@code chat-model} gives: Ollama, Gemini, Bedrock, or the application's own. The bean keeps
 * its own endpoint and key.
 */
final class ChatModelEntryModelFactory implements EntryModelFactory {

	static final String PROVIDER = "chat-model";

	private final ListableBeanFactory beanFactory;

	/** @param beanFactory where the beans are, or {@code null} when there is none */
	ChatModelEntryModelFactory(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public String provider() {
		return PROVIDER;
	}

	@Override
	public EntryModel create(ResolvedEndpoint endpoint, RateLimitState rateLimits) {
		ChatModel chatModel = ChatModelBeans.find(endpoint.property(), endpoint.chatModel(), this.beanFactory);
		ChatModelBeans.warnIfItRetries(endpoint.property(), endpoint.chatModel(), chatModel);
		return ChatModelEntryModel.builder(chatModel).model(endpoint.model()).name(endpoint.chatModel()).build();
	}

}

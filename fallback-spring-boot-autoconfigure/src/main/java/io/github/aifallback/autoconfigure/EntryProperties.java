package io.github.aifallback.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.github.aifallback.chat.failure.UrlRedaction;

/**
 * One model of the chain: what it is (model, chat-model, name) and its settings.
 *
 * @since 0.1.0
 */
public class EntryProperties extends EntrySettingsProperties {

	/**
	 * Model id sent to the provider. Required, except on an entry with chat-model, where
	 * it replaces that bean's default model when set.
	 */
	private String model;

	/**
	 * Name of a Spring AI ChatModel bean (ollamaChatModel, for example) that serves this
	 * entry instead of an OpenAI-compatible endpoint: the bean keeps its own base URL and
	 * key, so base-url, api-key, provider and headers cannot be set with it. The entry's
	 * name defaults to the bean name. Turn the bean's own retries off (for Spring AI's
	 * models, spring.ai.retry.max-attempts=0): the chain retries.
	 */
	private String chatModel;

	/**
	 * Label of the entry in logs, response metadata, health and metrics, and its key
	 * under ai.fallback.entries. Defaults to the model id.
	 */
	private String name;

	/**
	 * Several deployments (keys, regions) of this entry's model, picked by weight, each
	 * with its own circuit breaker: a rate limit or exhausted quota on one moves the same
	 * attempt on to the next deployment before the chain falls back. Each deployment
	 * sets base-url and api-key, or a provider; the entry itself then sets neither.
	 */
	private List<DeploymentProperties> deployments = new ArrayList<>();

	public List<DeploymentProperties> getDeployments() {
		return this.deployments;
	}

	public void setDeployments(List<DeploymentProperties> deployments) {
		this.deployments = deployments;
	}

	public String getChatModel() {
		return this.chatModel;
	}

	public void setChatModel(String chatModel) {
		this.chatModel = chatModel;
	}

	public String getModel() {
		return this.model;
	}

	public void setModel(String model) {
		this.model = model;
	}

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	@Override
	public String toString() {
		// Never the key nor header values; the URL without user info nor query values.
		return "Entry[model=" + this.model + ", name=" + this.name + ", provider=" + getProvider() + ", baseUrl="
				+ UrlRedaction.redact(getBaseUrl()) + ", headers=" + getHeaders().keySet() + "]";
	}

}

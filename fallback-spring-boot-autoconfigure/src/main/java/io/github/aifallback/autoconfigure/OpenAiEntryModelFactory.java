package io.github.aifallback.autoconfigure;

import java.util.List;

import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.deployment.RateLimitState;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.ai.openai.http.okhttp.OpenAiHttpClientBuilderCustomizer;

/**
 * OpenAI's Chat Completions API, or any compatible endpoint, through spring-ai-openai: the
 * provider of an entry that names none.
 */
final class OpenAiEntryModelFactory implements EntryModelFactory {

	static final String PROVIDER = "openai";

	private final List<OpenAiHttpClientBuilderCustomizer> httpCustomizers;

	private final ObservationRegistry observationRegistry;

	/**
	 * @param httpCustomizers Spring AI's HTTP client customizers, applied to every entry
	 * @param observationRegistry where Spring AI records each entry's observations
	 */
	OpenAiEntryModelFactory(List<OpenAiHttpClientBuilderCustomizer> httpCustomizers,
			ObservationRegistry observationRegistry) {
		this.httpCustomizers = httpCustomizers;
		this.observationRegistry = observationRegistry;
	}

	@Override
	public String provider() {
		return PROVIDER;
	}

	@Override
	public EntryModel create(ResolvedEndpoint endpoint, RateLimitState rateLimits) {
		return OpenAiEntryModel.builder()
			.baseUrl(endpoint.baseUrl())
			.apiKey(endpoint.apiKey())
			.headers(endpoint.headers())
			.forwardHeaders(endpoint.forwardHeaders())
			.model(endpoint.model())
			.timeout(endpoint.timeout())
			.httpClientCustomizers(this.httpCustomizers)
			.observationRegistry(this.observationRegistry)
			.rateLimits(rateLimits)
			.maxResponseBytes(endpoint.maxResponseBytes())
			.build();
	}

}

package io.github.aifallback.chat.anthropic;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.anthropic.backends.AnthropicBackend;
import com.anthropic.client.AnthropicClientAsyncImpl;
import com.anthropic.client.AnthropicClientImpl;
import com.anthropic.core.ClientOptions;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.failure.FailureClassifier;
import io.github.aifallback.chat.failure.UrlRedaction;
import io.github.aifallback.chat.deployment.RateLimitState;
import io.github.aifallback.chat.internal.okhttp.BoundedErrorBodies;
import io.github.aifallback.chat.internal.okhttp.RateLimitInterceptor;
import io.github.aifallback.chat.internal.okhttp.StreamCalls;
import io.micrometer.core.instrument.binder.okhttp3.OkHttpObservationInterceptor;
import io.micrometer.observation.ObservationRegistry;
import okhttp3.OkHttpClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SignalType;

import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * An {@link EntryModel} backed by spring-ai-anthropic's {@link AnthropicChatModel} (the
 * official anthropic-java SDK underneath): one Anthropic Messages API endpoint, one model,
 * the SDK's own retries off (the chain is the only retry layer), and a per-attempt
 * timeout that each request carries.
 * <p>
 * One attempt is one HTTP request to one host: no redirect is followed and OkHttp re-sends
 * nothing by itself. The base URL and the key are only ever the ones given here: the SDK's
 * {@code ANTHROPIC_BASE_URL} / {@code ANTHROPIC_API_KEY} environment variables are never
 * read. A stream's HTTP call is bounded by the time left (so a healthy stream is not cut
 * before the deadline) and closed when its subscriber cancels. Tool definitions go with
 * the request and tool-use blocks come back as tool calls; the tools themselves are run
 * by the caller ({@code ChatClient}'s tool calling), never inside an attempt.
 *
 * @since 0.1.0
 */
public final class AnthropicEntryModel implements EntryModel {

	private static final FailureClassifier CLASSIFIER = new AnthropicFailureClassifier();

	// Spring AI's own user agent, so that the provider sees the same client either way.
	private static final String USER_AGENT = "spring-ai-anthropic-sdk";

	private final String model;

	private final String apiKey;

	private final Map<String, String> headers;

	private final Set<String> forwardHeaders;

	private final String displayUrl;

	private final StreamCalls streamCalls = new StreamCalls();

	private final AnthropicChatModel chatModel;

	private AnthropicEntryModel(Builder builder) {
		this.model = builder.model;
		this.apiKey = builder.apiKey;
		this.headers = Map.copyOf(builder.headers);
		this.forwardHeaders = Set.copyOf(builder.forwardHeaders);
		this.displayUrl = UrlRedaction.redact(builder.baseUrl);
		// Never AnthropicBackend.fromEnv(): an entry uses only what it was given.
		AnthropicBackend backend = AnthropicBackend.builder().baseUrl(builder.baseUrl).apiKey(builder.apiKey).build();
		AnthropicHttpTransport transport = new AnthropicHttpTransport(okHttp(builder), backend);
		this.chatModel = AnthropicChatModel.builder()
			.anthropicClient(new AnthropicClientImpl(clientOptions(transport, backend, builder.timeout)))
			.anthropicClientAsync(new AnthropicClientAsyncImpl(clientOptions(transport, backend, builder.timeout)))
			.options(AnthropicChatOptions.builder().model(this.model).timeout(builder.timeout).build())
			.observationRegistry(builder.observationRegistry)
			.build();
	}

	/**
	 * Spring AI's OkHttp set-up (its observation interceptor, a per-host limit as high as
	 * the overall one), then our interceptors: streams the subscriber can close, and error
	 * bodies bounded last, nearest the network, so every other interceptor sees the bounded
	 * body.
	 */
	private OkHttpClient okHttp(Builder builder) {
		OkHttpClient.Builder http = new OkHttpClient.Builder().connectTimeout(builder.timeout)
			.readTimeout(builder.timeout)
			.writeTimeout(builder.timeout)
			.callTimeout(builder.timeout)
			.addInterceptor(OkHttpObservationInterceptor.builder(builder.observationRegistry, "okhttp.requests").build());
		if (builder.rateLimits != null) {
			// Only deployments read the headers: other entries keep their interceptors as they were.
			http.addInterceptor(new RateLimitInterceptor(builder.rateLimits));
		}
		OkHttpClient client = http.addInterceptor(this.streamCalls)
			.addInterceptor(new BoundedErrorBodies(builder.maxResponseBytes))
			.build();
		client.dispatcher().setMaxRequestsPerHost(client.dispatcher().getMaxRequests());
		return client;
	}

	/** The SDK's retries off: read once, here, whatever a request says later. */
	private ClientOptions clientOptions(AnthropicHttpTransport transport, AnthropicBackend backend, Duration timeout) {
		ClientOptions.Builder options = ClientOptions.builder()
			.httpClient(transport)
			.timeout(timeout)
			.maxRetries(0)
			.putHeader("User-Agent", USER_AGENT);
		this.headers.forEach(options::putHeader);
		// Static credentials only (the key given): no environment, no profile, no federation.
		backend.applyCredentials(transport, options);
		return options.build();
	}

	/**
	 * Create an entry model.
	 * @param baseUrl the Messages API's base URL, without version path
	 * ({@code https://api.anthropic.com})
	 * @param apiKey the API key (never logged nor shown)
	 * @param model the model id sent to the provider
	 * @param timeout the attempt timeout used unless a call asks for less
	 * @return the entry model
	 */
	public static AnthropicEntryModel create(String baseUrl, String apiKey, String model, Duration timeout) {
		return builder().baseUrl(baseUrl).apiKey(apiKey).model(model).timeout(timeout).build();
	}

	/**
	 * A builder, for the options {@link #create} does not take.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	@Override
	public ChatResponse call(Prompt prompt, Duration timeout) {
		return this.chatModel.call(request(prompt, timeout, null));
	}

	/**
	 * Streams through Spring AI with the HTTP call bounded by the time left (first-token and
	 * idle timeouts are the chain's), and closes the connection when the subscriber cancels.
	 */
	@Override
	public Flux<ChatResponse> stream(Prompt prompt, Duration timeLeft) {
		return Flux.defer(() -> {
			String tag = this.streamCalls.newTag();
			return this.chatModel.stream(request(prompt, timeLeft, tag))
				.doFinally((signal) -> this.streamCalls.finish(tag, signal == SignalType.CANCEL));
		});
	}

	/** Streaming calls still tracked: for tests. */
	int trackedStreams() {
		return this.streamCalls.size();
	}

	private Prompt request(Prompt prompt, Duration timeout, String streamTag) {
		return prompt.mutate()
			.chatOptions(AnthropicRequestOptions.of(prompt.getOptions(), this.model, timeout, this.forwardHeaders,
					streamTag))
			.build();
	}

	/** The API key and the values of the headers configured for this entry. */
	@Override
	public Collection<String> secrets() {
		Set<String> secrets = new LinkedHashSet<>();
		secrets.add(this.apiKey);
		secrets.addAll(this.headers.values());
		return List.copyOf(secrets);
	}

	/** The Anthropic SDK's exceptions, classified by status, error type, message and headers. */
	@Override
	public FailureClassifier classifier() {
		return CLASSIFIER;
	}

	@Override
	public String toString() {
		return "AnthropicEntryModel[model=" + this.model + ", baseUrl=" + this.displayUrl + "]";
	}

	/**
	 * Builds an {@link AnthropicEntryModel}.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private String baseUrl;

		private String apiKey;

		private String model;

		private Duration timeout;

		private Map<String, String> headers = Map.of();

		private Set<String> forwardHeaders = Set.of();

		private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		private RateLimitState rateLimits;

		private long maxResponseBytes = BoundedErrorBodies.DEFAULT_MAX_RESPONSE_BYTES;

		/**
		 * The most read of a successful, non-streaming response's body (default 10 MiB): a
		 * larger one fails the attempt as an invalid response.
		 * @param maxResponseBytes the bound, in bytes, at least 1
		 * @return this builder
		 */
		public Builder maxResponseBytes(long maxResponseBytes) {
			this.maxResponseBytes = BoundedErrorBodies.requireBound(maxResponseBytes);
			return this;
		}

		private Builder() {
		}

		/**
		 * Where the rate-limit headers of this model's successful responses are recorded
		 * (default: nowhere, and they are not read).
		 * @param rateLimits the deployment's state
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder rateLimits(RateLimitState rateLimits) {
			this.rateLimits = rateLimits;
			return this;
		}

		/**
		 * The Messages API's base URL, without version path ({@code https://api.anthropic.com}):
		 * the SDK adds {@code /v1/messages}.
		 * @param baseUrl the URL
		 * @return this builder
		 */
		public Builder baseUrl(String baseUrl) {
			this.baseUrl = baseUrl;
			return this;
		}

		/**
		 * The API key, sent as {@code x-api-key} (never logged nor shown).
		 * @param apiKey the key
		 * @return this builder
		 */
		public Builder apiKey(String apiKey) {
			this.apiKey = apiKey;
			return this;
		}

		/**
		 * The model id sent to the provider.
		 * @param model the model
		 * @return this builder
		 */
		public Builder model(String model) {
			this.model = model;
			return this;
		}

		/**
		 * The attempt timeout used unless a call asks for less.
		 * @param timeout the timeout
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/**
		 * Headers sent with every request of this entry, and to no other host. Their values
		 * count as {@link #secrets()}.
		 * @param headers header names and values
		 * @return this builder
		 */
		public Builder headers(Map<String, String> headers) {
			this.headers = Map.copyOf(headers);
			return this;
		}

		/**
		 * Names (case-insensitive) of the headers that the application sets per request
		 * ({@link AnthropicChatOptions#getHttpHeaders()}, {@code anthropic-beta} for
		 * example) and that this entry sends on. Any other per-request header is dropped: by
		 * default, all of them.
		 * @param names header names
		 * @return this builder
		 */
		public Builder forwardHeaders(Collection<String> names) {
			Set<String> lowerCase = new LinkedHashSet<>();
			names.forEach((name) -> lowerCase.add(name.toLowerCase(Locale.ROOT)));
			this.forwardHeaders = lowerCase;
			return this;
		}

		/**
		 * Where Spring AI records its chat and HTTP observations for this entry (default:
		 * none).
		 * @param observationRegistry the registry
		 * @return this builder
		 */
		public Builder observationRegistry(ObservationRegistry observationRegistry) {
			this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
			return this;
		}

		/**
		 * Build the entry model. The base URL and the key are both required: the SDK would
		 * otherwise read them from the environment.
		 * @return the entry model
		 */
		public AnthropicEntryModel build() {
			Objects.requireNonNull(this.baseUrl, "baseUrl");
			Objects.requireNonNull(this.apiKey, "apiKey");
			Objects.requireNonNull(this.model, "model");
			Objects.requireNonNull(this.timeout, "timeout");
			return new AnthropicEntryModel(this);
		}

	}

}

package io.github.aifallback.chat.openai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.failure.FailureClassifier;
import io.github.aifallback.chat.failure.UrlRedaction;
import io.github.aifallback.chat.deployment.RateLimitState;
import io.github.aifallback.chat.internal.okhttp.BoundedErrorBodies;
import io.github.aifallback.chat.internal.okhttp.RateLimitInterceptor;
import io.github.aifallback.chat.internal.okhttp.StreamCalls;
import io.micrometer.observation.ObservationRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SignalType;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.http.okhttp.OpenAiHttpClientBuilderCustomizer;
import org.springframework.ai.openai.http.okhttp.SpringAiOpenAiHttpClient;
import org.springframework.ai.openai.setup.OpenAiSetup;

/**
 * An {@link EntryModel} backed by spring-ai-openai's {@link OpenAiChatModel}: one
 * OpenAI-compatible endpoint, one model, the SDK's own retries off (the chain is the only
 * retry layer), and a per-attempt timeout.
 * <p>
 * One attempt is one HTTP request to one host: no redirect is followed and OkHttp re-sends
 * nothing by itself (see {@link SingleRequestHttpClient}). Headers that the application
 * sets per request ({@link OpenAiChatOptions#getCustomHeaders()}) reach this entry only when
 * it forwards them by name ({@link Builder#forwardHeaders}); headers configured for the
 * entry ({@link Builder#headers}) go with every request of this entry only.
 *
 * @since 0.1.0
 */
public final class OpenAiEntryModel implements EntryModel {

	private static final AtomicBoolean WARMED_UP = new AtomicBoolean();

	private static final FailureClassifier CLASSIFIER = new OpenAiFailureClassifier();

	private final String model;

	private final String apiKey;

	private final Map<String, String> headers;

	private final Set<String> forwardHeaders;

	private final String displayUrl;

	private final Duration timeout;

	private final ObservationRegistry observationRegistry;

	private final OpenAiChatOptions defaultOptions;

	private final OpenAiChatModel chatModel;

	private final StreamCalls streamCalls = new StreamCalls();

	/** The last options built for a request without options: see {@link #requestOptions}. */
	private volatile PlainOptions plainOptions;

	private OpenAiEntryModel(Builder builder) {
		this.model = builder.model;
		this.apiKey = builder.apiKey;
		this.headers = Map.copyOf(builder.headers);
		this.forwardHeaders = Set.copyOf(builder.forwardHeaders);
		this.displayUrl = UrlRedaction.redact(builder.baseUrl);
		this.timeout = builder.timeout;
		this.observationRegistry = builder.observationRegistry;
		// Spring AI's setup decides how the key is sent (Bearer, or Azure's api-key header);
		// the transport is replaced by ours, which takes the customizers (see transport()).
		// Error bodies are bounded last, nearest the network, so every other interceptor
		// sees the bounded body.
		List<OpenAiHttpClientBuilderCustomizer> syncCustomizers = new ArrayList<>(builder.customizers);
		if (builder.rateLimits != null) {
			// Only deployments read the headers: other entries keep their interceptors as they were.
			RateLimitInterceptor rateLimits = new RateLimitInterceptor(builder.rateLimits);
			syncCustomizers.add((http) -> http.interceptor(rateLimits));
		}
		syncCustomizers.add((http) -> http.interceptor(new BoundedErrorBodies(builder.maxResponseBytes)));
		OpenAIClient client = OpenAiSetup
			.setupSyncClient(builder.baseUrl, builder.apiKey, null, null, null, null, false, false, this.model,
					this.timeout, 0, null, this.headers, this.observationRegistry, null, List.of())
			.withOptions((options) -> options.httpClient(transport(syncCustomizers)));
		List<OpenAiHttpClientBuilderCustomizer> asyncCustomizers = new ArrayList<>(builder.customizers);
		if (builder.rateLimits != null) {
			RateLimitInterceptor rateLimits = new RateLimitInterceptor(builder.rateLimits);
			asyncCustomizers.add((http) -> http.interceptor(rateLimits));
		}
		asyncCustomizers.add((http) -> http.interceptor(this.streamCalls));
		asyncCustomizers.add((http) -> http.interceptor(new BoundedErrorBodies(builder.maxResponseBytes)));
		OpenAIClientAsync asyncClient = OpenAiSetup
			.setupAsyncClient(builder.baseUrl, builder.apiKey, null, null, null, null, false, false, this.model,
					this.timeout, 0, null, this.headers, this.observationRegistry, null, List.of())
			.withOptions((options) -> options.httpClient(transport(asyncCustomizers)));
		this.defaultOptions = OpenAiChatOptions.builder().model(model).build();
		this.chatModel = chatModel(client, asyncClient);
	}

	/**
	 * The HTTP transport of one client: Spring AI's OkHttp set-up (observations, the
	 * application's customizers in order), with every OkHttp follow-up off, so that one
	 * attempt is one request to one host.
	 */
	private SingleRequestHttpClient transport(List<OpenAiHttpClientBuilderCustomizer> customizers) {
		SpringAiOpenAiHttpClient.Builder http = SpringAiOpenAiHttpClient.builder()
			.observationRegistry(this.observationRegistry)
			.timeout(this.timeout);
		customizers.forEach((customizer) -> customizer.customize(http));
		return new SingleRequestHttpClient(http.build());
	}

	/**
	 * Load and initialise the openai-java SDK's JSON machinery without any network call.
	 * The SDK's first request in a JVM otherwise spends seconds there (measured: about 4 s
	 * on a busy 2-core machine), which a short attempt timeout turns into a failed first
	 * call. Idempotent and cheap after the first time.
	 */
	public static void warmUp() {
		if (!WARMED_UP.compareAndSet(false, true)) {
			return;
		}
		try {
			JsonMapper json = ObjectMappers.jsonMapper();
			json.readValue("{\"id\":\"w\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"w\","
					+ "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"w\"},"
					+ "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,"
					+ "\"total_tokens\":2}}", ChatCompletion.class).validate();
			json.readValue("{\"id\":\"w\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"w\","
					+ "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w\"},\"finish_reason\":null}]}",
					ChatCompletionChunk.class).validate();
			json.writeValueAsString(
					ChatCompletionCreateParams.builder().model("w").addUserMessage("w").build()._body());
		}
		catch (Exception | LinkageError ex) {
			// Only an optimisation: the first real call will initialise what it needs.
		}
	}

	/**
	 * Create an entry model.
	 * @param baseUrl the provider's base URL, version path included
	 * ({@code https://api.openai.com/v1})
	 * @param apiKey the API key (never logged nor shown)
	 * @param model the model id sent to the provider
	 * @param timeout the attempt timeout used unless a call asks for less
	 * @return the entry model
	 */
	public static OpenAiEntryModel create(String baseUrl, String apiKey, String model, Duration timeout) {
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
		return this.chatModel.call(request(prompt, timeout));
	}

	/**
	 * Streams through Spring AI with the HTTP call bounded by the time left (first-token and
	 * idle timeouts are the chain's), and closes the connection when the subscriber cancels.
	 */
	@Override
	public Flux<ChatResponse> stream(Prompt prompt, Duration timeLeft) {
		return Flux.defer(() -> {
			String tag = this.streamCalls.newTag();
			// The tag rides on the request's headers, the time left on its options (Spring AI
			// sends both with the request): no client, and no chat model, per stream.
			Prompt tagged = new Prompt(prompt.getInstructions(), options(prompt.getOptions(), timeLeft, tag));
			return this.chatModel.stream(tagged)
				.doFinally((signal) -> this.streamCalls.finish(tag, signal == SignalType.CANCEL));
		});
	}

	/** Streaming calls still tracked: for tests. */
	int trackedStreams() {
		return this.streamCalls.size();
	}

	/**
	 * The application's options for this request, sent to this entry's model whatever
	 * model they name, with only the per-request headers this entry forwards.
	 */
	private OpenAiChatOptions requestOptions(ChatOptions requested, Duration timeout) {
		if (requested == null) {
			// Most requests carry no options and the entry's own timeout: built once per timeout.
			PlainOptions plain = this.plainOptions;
			if (plain == null || !plain.timeout().equals(timeout)) {
				plain = new PlainOptions(timeout, this.defaultOptions.mutate().timeout(timeout).build());
				this.plainOptions = plain;
			}
			return plain.options();
		}
		return options(requested, timeout, null);
	}

	/**
	 * The options a request carries: the application's (or none), sent to this entry's model,
	 * with only the per-request headers this entry forwards, a stream's tag when given, and the
	 * attempt's timeout.
	 */
	private OpenAiChatOptions options(ChatOptions requested, Duration timeout, String streamTag) {
		OpenAiChatOptions.Builder options = this.defaultOptions.mutate();
		Map<String, String> headers = Map.of();
		if (requested != null) {
			options.combineWith(requested.mutate()).model(this.model);
			headers = forwardedHeaders(requested);
		}
		if (streamTag != null) {
			headers = new LinkedHashMap<>(headers);
			headers.put(StreamCalls.TAG_HEADER, streamTag);
		}
		// Spring AI (2.0.1) sends the options' timeout with each request, 60 s unless set: the
		// attempt's own timeout must be the one the request carries, whatever the caller set.
		return options.customHeaders(headers).timeout(timeout).build();
	}

	/**
	 * The caller's per-request headers that this entry forwards: none unless named, since a
	 * header meant for one provider (a gateway token) must never reach another's host.
	 */
	private Map<String, String> forwardedHeaders(ChatOptions requested) {
		if (this.forwardHeaders.isEmpty() || !(requested instanceof OpenAiChatOptions options)
				|| options.getCustomHeaders() == null) {
			return Map.of();
		}
		Map<String, String> forwarded = new LinkedHashMap<>();
		options.getCustomHeaders().forEach((name, value) -> {
			if (name != null && value != null && this.forwardHeaders.contains(name.toLowerCase(Locale.ROOT))) {
				forwarded.put(name, value);
			}
		});
		return forwarded;
	}

	/** The application's prompt, its options sent to this entry's model. */
	private Prompt request(Prompt prompt, Duration timeout) {
		// The caller's messages as they are: Prompt#mutate copied every message and the
		// options, which are replaced here anyway; Spring AI reads the messages, never changes them.
		return new Prompt(prompt.getInstructions(), requestOptions(prompt.getOptions(), timeout));
	}

	/** The options of a request without options of its own, for one timeout. */
	private record PlainOptions(Duration timeout, OpenAiChatOptions options) {

	}

	private OpenAiChatModel chatModel(OpenAIClient syncClient, OpenAIClientAsync asyncClient) {
		return OpenAiChatModel.builder()
			.observationRegistry(this.observationRegistry)
			.openAiClient(syncClient)
			.openAiClientAsync(asyncClient)
			.options(this.defaultOptions)
			.build();
	}

	/**
	 * The API key and the values of the headers configured for this entry (a gateway token).
	 */
	@Override
	public Collection<String> secrets() {
		Set<String> secrets = new LinkedHashSet<>();
		secrets.add(this.apiKey);
		secrets.addAll(this.headers.values());
		return List.copyOf(secrets);
	}

	/** The OpenAI SDK's exceptions, classified by status, headers and a leniently read body. */
	@Override
	public FailureClassifier classifier() {
		return CLASSIFIER;
	}

	@Override
	public String toString() {
		return "OpenAiEntryModel[model=" + this.model + ", baseUrl=" + this.displayUrl + "]";
	}

	/**
	 * Builds an {@link OpenAiEntryModel}.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private String baseUrl;

		private String apiKey;

		private String model;

		private Duration timeout;

		private List<OpenAiHttpClientBuilderCustomizer> customizers = List.of();

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
		 * The provider's base URL, version path included ({@code https://api.openai.com/v1}).
		 * @param baseUrl the URL
		 * @return this builder
		 */
		public Builder baseUrl(String baseUrl) {
			this.baseUrl = baseUrl;
			return this;
		}

		/**
		 * The API key (never logged nor shown).
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
		 * Spring AI's customizers of the OkHttp-based client (a proxy, interceptors), applied
		 * in order.
		 * @param customizers the customizers
		 * @return this builder
		 */
		public Builder httpClientCustomizers(List<OpenAiHttpClientBuilderCustomizer> customizers) {
			this.customizers = List.copyOf(customizers);
			return this;
		}

		/**
		 * Headers sent with every request of this entry, and to no other host (a gateway
		 * token, for example). Their values count as {@link #secrets()}.
		 * @param headers header names and values
		 * @return this builder
		 * @since 0.1.0
		 */
		public Builder headers(Map<String, String> headers) {
			this.headers = Map.copyOf(headers);
			return this;
		}

		/**
		 * Names (case-insensitive) of the headers that the application sets per request
		 * ({@link OpenAiChatOptions#getCustomHeaders()}) and that this entry sends on. Any
		 * other per-request header is dropped: by default, all of them.
		 * @param names header names
		 * @return this builder
		 * @since 0.1.0
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
		 * Build the entry model.
		 * @return the entry model
		 */
		public OpenAiEntryModel build() {
			Objects.requireNonNull(this.baseUrl, "baseUrl");
			Objects.requireNonNull(this.apiKey, "apiKey");
			Objects.requireNonNull(this.model, "model");
			Objects.requireNonNull(this.timeout, "timeout");
			return new OpenAiEntryModel(this);
		}

	}

}

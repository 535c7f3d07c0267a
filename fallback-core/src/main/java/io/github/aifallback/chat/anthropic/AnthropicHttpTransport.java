package io.github.aifallback.chat.anthropic;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import com.anthropic.backends.Backend;
import com.anthropic.core.RequestOptions;
import com.anthropic.core.Timeout;
import com.anthropic.core.http.Headers;
import com.anthropic.core.http.HttpClient;
import com.anthropic.core.http.HttpRequest;
import com.anthropic.core.http.HttpRequestBody;
import com.anthropic.core.http.HttpResponse;
import com.anthropic.core.http.QueryParams;
import com.anthropic.errors.AnthropicIoException;
import io.github.aifallback.chat.internal.okhttp.AttemptTimeouts;
import io.github.aifallback.chat.internal.okhttp.SdkCalls;
import io.github.aifallback.chat.internal.okhttp.SingleRequestOkHttp;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The anthropic-java transport of an Anthropic entry: one attempt is one HTTP request to
 * one host ({@link SingleRequestOkHttp}). Spring AI's {@code SpringAiAnthropicHttpClient}
 * hard-codes OkHttp's {@code retryOnConnectionFailure(true)}, follows redirects, and does
 * not expose its OkHttp client; this one maps requests and responses the same way (the
 * backend adds the version header and the key, the base URL is the backend's) with every
 * follow-up off, per-request timeouts, and the HTTP call cancelled when the SDK's future
 * is.
 */
final class AnthropicHttpTransport implements HttpClient {

	private final OkHttpClient okHttpClient;

	private final Backend backend;

	AnthropicHttpTransport(OkHttpClient configured, Backend backend) {
		this.okHttpClient = SingleRequestOkHttp.strict(configured);
		this.backend = backend;
	}

	@Override
	public HttpResponse execute(HttpRequest request, RequestOptions requestOptions) {
		HttpRequest prepared = prepare(request);
		return SdkCalls.execute(newCall(prepared, requestOptions), this::response, AnthropicHttpTransport::ioFailure,
				() -> closeBody(prepared));
	}

	@Override
	public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions requestOptions) {
		HttpRequest prepared = prepare(request);
		return SdkCalls.enqueue(newCall(prepared, requestOptions), this::response, AnthropicHttpTransport::ioFailure,
				() -> closeBody(prepared));
	}

	@Override
	public void close() {
		this.backend.close();
		this.okHttpClient.dispatcher().executorService().shutdown();
		this.okHttpClient.connectionPool().evictAll();
	}

	/** As the SDK's own client: version header, base URL, then credentials. */
	private HttpRequest prepare(HttpRequest request) {
		HttpRequest prepared = this.backend.prepareRequest(request);
		String base = (prepared.baseUrl() != null) ? prepared.baseUrl() : this.backend.baseUrl();
		HttpUrl.Builder url = HttpUrl.get(base).newBuilder();
		prepared.pathSegments().forEach(url::addPathSegment);
		for (String key : prepared.queryParams().keys()) {
			prepared.queryParams().values(key).forEach((value) -> url.addQueryParameter(key, value));
		}
		// The whole URL in baseUrl, no segments nor parameters left to add twice.
		return this.backend.authorizeRequest(prepared.toBuilder()
			.baseUrl(url.toString())
			.replaceAllPathSegments()
			.queryParams(QueryParams.builder().build())
			.build());
	}

	private Call newCall(HttpRequest request, RequestOptions requestOptions) {
		Timeout timeout = requestOptions.getTimeout();
		AttemptTimeouts attempt = (timeout != null)
				? new AttemptTimeouts(timeout.connect(), timeout.read(), timeout.write(), timeout.request()) : null;
		return SingleRequestOkHttp.newCall(this.okHttpClient, okHttpRequest(request, this.okHttpClient, attempt));
	}

	private static Request okHttpRequest(HttpRequest request, OkHttpClient client, AttemptTimeouts timeouts) {
		HttpRequestBody source = request.body();
		RequestBody body = (source != null)
				? SingleRequestOkHttp.oneShot(source.contentType(), source.contentLength(), source::writeTo,
						source.repeatable()) : null;
		Headers headers = request.headers();
		return SdkCalls.request(client, timeouts, Objects.requireNonNull(request.baseUrl()), request.method().name(), body,
				headers.names(), headers::values);
	}

	private static RuntimeException ioFailure(IOException ex) {
		return new AnthropicIoException("Request failed", ex);
	}

	private static void closeBody(HttpRequest request) {
		if (request.body() != null) {
			request.body().close();
		}
	}

	/** The backend's view of the response, as the SDK's own client gives it. */
	private HttpResponse response(Response response) {
		return this.backend.prepareResponse(sdkResponse(response));
	}

	private static HttpResponse sdkResponse(Response response) {
		Headers.Builder headers = Headers.builder();
		for (int i = 0; i < response.headers().size(); i++) {
			headers.put(response.headers().name(i), response.headers().value(i));
		}
		Headers converted = headers.build();
		return new HttpResponse() {

			@Override
			public int statusCode() {
				return response.code();
			}

			@Override
			public Headers headers() {
				return converted;
			}

			@Override
			public InputStream body() {
				return Objects.requireNonNull(response.body()).byteStream();
			}

			@Override
			public void close() {
				Objects.requireNonNull(response.body()).close();
			}

		};
	}

}

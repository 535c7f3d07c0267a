package io.github.aifallback.chat.openai;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import com.openai.core.RequestOptions;
import com.openai.core.Timeout;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIIoException;
import io.github.aifallback.chat.internal.okhttp.AttemptTimeouts;
import io.github.aifallback.chat.internal.okhttp.SdkCalls;
import io.github.aifallback.chat.internal.okhttp.SingleRequestOkHttp;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import org.springframework.ai.openai.http.okhttp.SpringAiOpenAiHttpClient;

/**
 * The openai-java transport of every chain entry: one attempt is one HTTP request to one
 * host ({@link SingleRequestOkHttp}). Spring AI's {@link SpringAiOpenAiHttpClient} hard-codes OkHttp's
 * {@code retryOnConnectionFailure(true)} and follows redirects, and exposes no setting for
 * either; this client runs the same OkHttp configuration (Spring AI's observation
 * interceptor, the application's customizers, pool and dispatcher) with every follow-up
 * off:
 * <ul>
 * <li>no redirect is followed (a 307 would re-post the prompt and an {@code api-key} header
 * to another host): the 3xx reaches the classifier;</li>
 * <li>no request is re-sent after a connection failure, nor after a 408;</li>
 * <li>every request body is one-shot: OkHttp re-sends a 503 carrying
 * {@code Retry-After: 0} (and a 421) whatever {@code retryOnConnectionFailure} says, but
 * never a one-shot body. The 503 and its headers reach the classifier untouched.</li>
 * </ul>
 * Otherwise it behaves as Spring AI's client: same request and response mapping,
 * per-request timeouts, cancellation of the HTTP call when the SDK's future is cancelled.
 */
final class SingleRequestHttpClient implements HttpClient {

	private final SpringAiOpenAiHttpClient owner;

	private final OkHttpClient okHttpClient;

	/**
	 * @param configured Spring AI's client, built with the application's customizers: this
	 * client shares its OkHttp setup and closes it
	 */
	SingleRequestHttpClient(SpringAiOpenAiHttpClient configured) {
		this.owner = configured;
		this.okHttpClient = strict(configured.getOkHttpClient());
	}

	/** The OkHttp client with every follow-up off: for tests. */
	OkHttpClient okHttpClient() {
		return this.okHttpClient;
	}

	static OkHttpClient strict(OkHttpClient client) {
		return SingleRequestOkHttp.strict(client);
	}

	@Override
	public HttpResponse execute(HttpRequest request, RequestOptions requestOptions) {
		return SdkCalls.execute(newCall(request, requestOptions), SingleRequestHttpClient::response,
				SingleRequestHttpClient::ioFailure, () -> closeBody(request));
	}

	@Override
	public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions requestOptions) {
		return SdkCalls.enqueue(newCall(request, requestOptions), SingleRequestHttpClient::response,
				SingleRequestHttpClient::ioFailure, () -> closeBody(request));
	}

	@Override
	public void close() {
		this.owner.close();
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
		return SdkCalls.request(client, timeouts, request.url(), request.method().name(), body, headers.names(),
				headers::values);
	}

	private static RuntimeException ioFailure(IOException ex) {
		return new OpenAIIoException("Request failed", ex);
	}

	private static void closeBody(HttpRequest request) {
		if (request.body() != null) {
			request.body().close();
		}
	}

	private static HttpResponse response(Response response) {
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

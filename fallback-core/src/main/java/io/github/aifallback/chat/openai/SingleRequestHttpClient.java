package io.github.aifallback.chat.openai;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import com.openai.core.RequestOptions;
import com.openai.core.Timeout;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpClient;
import com.openai.core.http.HttpMethod;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIIoException;
import io.github.aifallback.chat.okhttp.SingleRequestOkHttp;
import okhttp3.Call;
import okhttp3.Callback;
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
		Call call = newCall(request, requestOptions);
		try {
			return response(call.execute());
		}
		catch (IOException ex) {
			throw new OpenAIIoException("Request failed", ex);
		}
		finally {
			closeBody(request);
		}
	}

	@Override
	public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions requestOptions) {
		CompletableFuture<HttpResponse> future = new CompletableFuture<>();
		Call call = newCall(request, requestOptions);
		call.enqueue(new Callback() {

			@Override
			public void onResponse(Call call, Response response) {
				future.complete(response(response));
			}

			@Override
			public void onFailure(Call call, IOException ex) {
				future.completeExceptionally(new OpenAIIoException("Request failed", ex));
			}

		});
		future.whenComplete((response, failure) -> {
			if (failure instanceof CancellationException) {
				call.cancel();
			}
			closeBody(request);
		});
		return future;
	}

	@Override
	public void close() {
		this.owner.close();
	}

	private Call newCall(HttpRequest request, RequestOptions requestOptions) {
		OkHttpClient client = this.okHttpClient;
		Timeout timeout = requestOptions.getTimeout();
		if (timeout != null) {
			client = SingleRequestOkHttp.withTimeouts(client, timeout.connect(), timeout.read(), timeout.write(),
					timeout.request());
		}
		return client.newCall(okHttpRequest(request, client));
	}

	private static Request okHttpRequest(HttpRequest request, OkHttpClient client) {
		RequestBody body = (request.body() != null) ? oneShot(request.body()) : null;
		if (body == null && requiresBody(request.method())) {
			body = SingleRequestOkHttp.oneShot(null, 0, null);
		}
		Request.Builder builder = new Request.Builder().url(request.url()).method(request.method().name(), body);
		Headers headers = request.headers();
		for (String name : headers.names()) {
			for (String value : headers.values(name)) {
				builder.addHeader(name, value);
			}
		}
		// As the SDK's own OkHttp client: tell the server how long this client waits.
		if (!headers.names().contains("X-Stainless-Read-Timeout") && client.readTimeoutMillis() != 0) {
			builder.addHeader("X-Stainless-Read-Timeout", Long.toString(client.readTimeoutMillis() / 1000));
		}
		if (!headers.names().contains("X-Stainless-Timeout") && client.callTimeoutMillis() != 0) {
			builder.addHeader("X-Stainless-Timeout", Long.toString(client.callTimeoutMillis() / 1000));
		}
		return builder.build();
	}

	private static RequestBody oneShot(HttpRequestBody body) {
		return SingleRequestOkHttp.oneShot(body.contentType(), body.contentLength(), body::writeTo);
	}

	private static boolean requiresBody(HttpMethod method) {
		return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
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

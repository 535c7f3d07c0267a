package io.github.aifallback.chat.internal.okhttp;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.github.aifallback.chat.internal.AttemptCancellation;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * How a Stainless-generated SDK's request (openai-java, anthropic-java) becomes one OkHttp
 * call, mapped as the SDK's own OkHttp client maps it, whatever the SDK's own types: each
 * adapter converts its SDK's request, response and I/O error, this class does the rest.
 * Internal to the adapters.
 *
 * @since 0.1.0
 */
public final class SdkCalls {

	/** Header values of the whole seconds an attempt usually has: no string per request. */
	private static final String[] SECONDS = new String[601];

	static {
		for (int i = 0; i < SECONDS.length; i++) {
			SECONDS[i] = Integer.toString(i);
		}
	}

	private SdkCalls() {
	}

	private static String seconds(long millis) {
		long seconds = millis / 1000;
		return (seconds >= 0 && seconds < SECONDS.length) ? SECONDS[(int) seconds] : Long.toString(seconds);
	}

	/**
	 * The OkHttp request: the SDK's headers, an empty one-shot body where the method needs
	 * one, and, as the SDK's own client does, the headers telling the server how long this
	 * client waits.
	 * @param client the client that sends it (its timeouts go into the headers)
	 * @param url the whole URL
	 * @param method the HTTP method's name
	 * @param body the one-shot body ({@link SingleRequestOkHttp#oneShot}), or {@code null}
	 * @param headerNames the SDK's header names
	 * @param headerValues the SDK's values of one header
	 * @return the request
	 */
	public static Request request(OkHttpClient client, String url, String method, RequestBody body,
			Set<String> headerNames, Function<String, List<String>> headerValues) {
		return request(client, null, url, method, body, headerNames, headerValues);
	}

	/**
	 * The OkHttp request of one attempt: as {@link #request(OkHttpClient, String, String,
	 * RequestBody, Set, Function)}, with the attempt's timeouts (when given) in the headers
	 * that tell the server how long this client waits, and carried as the request's tag for
	 * {@link SingleRequestOkHttp#newCall}.
	 * @param client the client that sends it (its timeouts go into the headers unless the
	 * attempt has its own)
	 * @param timeouts the attempt's timeouts, or {@code null} for the client's
	 * @param url the whole URL
	 * @param method the HTTP method's name
	 * @param body the one-shot body ({@link SingleRequestOkHttp#oneShot}), or {@code null}
	 * @param headerNames the SDK's header names
	 * @param headerValues the SDK's values of one header
	 * @return the request
	 * @since 0.1.0
	 */
	public static Request request(OkHttpClient client, AttemptTimeouts timeouts, String url, String method,
			RequestBody body, Set<String> headerNames, Function<String, List<String>> headerValues) {
		RequestBody sent = body;
		if (sent == null && (method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))) {
			sent = SingleRequestOkHttp.oneShot(null, 0, null);
		}
		Request.Builder builder = new Request.Builder().url(url).method(method, sent);
		for (String name : headerNames) {
			for (String value : headerValues.apply(name)) {
				builder.addHeader(name, value);
			}
		}
		long readMillis = (timeouts != null) ? timeouts.read().toMillis() : client.readTimeoutMillis();
		long callMillis = (timeouts != null) ? timeouts.call().toMillis() : client.callTimeoutMillis();
		if (readMillis != 0 && !headerNames.contains("X-Stainless-Read-Timeout")) {
			builder.addHeader("X-Stainless-Read-Timeout", seconds(readMillis));
		}
		if (callMillis != 0 && !headerNames.contains("X-Stainless-Timeout")) {
			builder.addHeader("X-Stainless-Timeout", seconds(callMillis));
		}
		if (timeouts != null) {
			builder.tag(AttemptTimeouts.class, timeouts);
		}
		return builder.build();
	}

	/**
	 * Run the call on this thread. When the thread runs an attempt the engine may cancel (a
	 * hedged race's), cancelling it cancels the HTTP call, whose blocking read ignores
	 * interrupts: the loser's connection closes at once, the response body's read included.
	 * @param <R> the SDK's response type
	 * @param call the call
	 * @param response maps OkHttp's response to the SDK's
	 * @param failure maps an I/O failure to the SDK's exception
	 * @param done runs once the call is over (closes the SDK's request body)
	 * @return the SDK's response
	 */
	public static <R> R execute(Call call, Function<Response, R> response,
			Function<IOException, RuntimeException> failure, Runnable done) {
		if (AttemptCancellation.isCancellable()) {
			// Only in a race: the method reference is not made on the hot path.
			AttemptCancellation.onCancel(call::cancel);
		}
		try {
			return response.apply(call.execute());
		}
		catch (IOException ex) {
			throw failure.apply(ex);
		}
		finally {
			done.run();
		}
	}

	/**
	 * Run the call on OkHttp's dispatcher; cancelling the future cancels the HTTP call.
	 * @param <R> the SDK's response type
	 * @param call the call
	 * @param response maps OkHttp's response to the SDK's
	 * @param failure maps an I/O failure to the SDK's exception
	 * @param done runs once the future is complete (closes the SDK's request body)
	 * @return the SDK's response, to come
	 */
	public static <R> CompletableFuture<R> enqueue(Call call, Function<Response, R> response,
			Function<IOException, RuntimeException> failure, Runnable done) {
		CompletableFuture<R> future = new CompletableFuture<>();
		call.enqueue(new Callback() {

			@Override
			public void onResponse(Call call, Response received) {
				future.complete(response.apply(received));
			}

			@Override
			public void onFailure(Call call, IOException ex) {
				future.completeExceptionally(failure.apply(ex));
			}

		});
		future.whenComplete((received, thrown) -> {
			if (thrown instanceof CancellationException) {
				call.cancel();
			}
			done.run();
		});
		return future;
	}

}

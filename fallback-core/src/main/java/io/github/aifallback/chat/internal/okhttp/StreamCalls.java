package io.github.aifallback.chat.internal.okhttp;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Lets a stream's subscriber close the upstream connection. Neither Spring AI's
 * {@code OpenAiChatModel#stream} nor its {@code AnthropicChatModel#stream} cancels its HTTP
 * call when its subscriber cancels before the response arrives; this OkHttp interceptor
 * remembers each streaming call by a tag header (removed before the request leaves) so that
 * {@link #finish(String, boolean)} can cancel it. Internal to the adapters.
 *
 * @since 0.1.0
 */
public final class StreamCalls implements Interceptor {

	public static final String TAG_HEADER = "X-AI-Fallback-Stream";

	private static final Object CANCELLED = new Object();

	private final AtomicLong ids = new AtomicLong();

	private final Map<String, Object> calls = new ConcurrentHashMap<>();

	/** A tag for a new stream, to send as the {@link #TAG_HEADER} of its request. */
	public String newTag() {
		return Long.toString(this.ids.incrementAndGet());
	}

	@Override
	public Response intercept(Chain chain) throws IOException {
		Request request = chain.request();
		String tag = request.header(TAG_HEADER);
		if (tag == null) {
			return chain.proceed(request);
		}
		Call call = chain.call();
		if (this.calls.putIfAbsent(tag, call) == CANCELLED) {
			this.calls.remove(tag);
			call.cancel();
		}
		return chain.proceed(request.newBuilder().removeHeader(TAG_HEADER).build());
	}

	/**
	 * The stream with this tag ended; when it ended by cancellation, close its connection
	 * (or, if its request has not left yet, cancel it as it does).
	 */
	public void finish(String tag, boolean cancel) {
		Object call = this.calls.remove(tag);
		if (!cancel) {
			return;
		}
		if (call instanceof Call started) {
			started.cancel();
		}
		else {
			this.calls.put(tag, CANCELLED);
		}
	}

	/** Calls in flight, and cancellations waiting for their request: for tests. */
	public int size() {
		return this.calls.size();
	}

}

package io.github.aifallback.chat.internal.okhttp;

import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSink;

/**
 * What makes one attempt one HTTP request to one host, whatever SDK sits on OkHttp:
 * <ul>
 * <li>no redirect is followed (a 307 would re-post the prompt and the key header to
 * another host; a 302 turns into a GET that OkHttp sends with every header but
 * {@code Authorization}, so an {@code x-api-key} too): the 3xx reaches the classifier;</li>
 * <li>no request is re-sent after a connection failure, nor after a 408;</li>
 * <li>every request body is one-shot: OkHttp re-sends a 503 carrying
 * {@code Retry-After: 0} (and a 421) whatever {@code retryOnConnectionFailure} says, but
 * never a one-shot body;</li>
 * <li>no request waits in OkHttp's dispatcher queue (5 asynchronous calls per host by
 * default): time queued on our side is not the provider's fault.</li>
 * </ul>
 * Internal to the adapters.
 *
 * @since 0.1.0
 */
public final class SingleRequestOkHttp {

	/** OkHttp's own dispatcher limits: a dispatcher with them was not configured by anyone. */
	private static final int DEFAULT_MAX_PER_HOST = 5;

	private static final int DEFAULT_MAX = 64;

	/** Idle connections kept per entry when the client was not tuned: enough for a busy service. */
	private static final int IDLE_CONNECTIONS = 64;

	private SingleRequestOkHttp() {
	}

	/**
	 * The client with every OkHttp follow-up off.
	 * @param client a configured client (interceptors, pool, dispatcher)
	 * @return a client sharing its set-up, which follows and re-sends nothing
	 */
	public static OkHttpClient strict(OkHttpClient client) {
		OkHttpClient.Builder strict = client.newBuilder()
			.retryOnConnectionFailure(false)
			.followRedirects(false)
			.followSslRedirects(false)
			.addInterceptor(AttemptTimeouts.INTERCEPTOR);
		Dispatcher dispatcher = client.dispatcher();
		if (dispatcher.getMaxRequestsPerHost() == DEFAULT_MAX_PER_HOST && dispatcher.getMaxRequests() == DEFAULT_MAX) {
			// OkHttp queues a sixth asynchronous call (a stream) to one host: its wait would count
			// against the provider's first-token timeout and circuit. The chain's own concurrency
			// limit is the one that bounds an entry; a dispatcher someone configured is kept.
			Dispatcher unqueued = new Dispatcher(dispatcher.executorService());
			unqueued.setMaxRequests(Integer.MAX_VALUE);
			unqueued.setMaxRequestsPerHost(Integer.MAX_VALUE);
			strict.dispatcher(unqueued);
			// Nobody tuned this client for concurrency: its pool keeps 5 idle connections, so
			// under 200 callers nearly every request opened (and closed) a connection of its
			// own, on our CPU, inside the attempt's timeout.
			strict.connectionPool(new ConnectionPool(IDLE_CONNECTIONS, 5, TimeUnit.MINUTES));
		}
		return strict.build();
	}


	/**
	 * A call of the strict client, with the attempt's timeouts its request carries (see
	 * {@link AttemptTimeouts}, tagged by {@link SdkCalls#request}). The client is not copied:
	 * an {@code OkHttpClient.Builder} per attempt built a throw-away connection pool, whose
	 * task queue takes OkHttp's JVM-wide task runner lock, and under 200 concurrent callers
	 * that lock alone made 1-second attempts take several seconds. The call's own timeout is
	 * set on the call, the connect, read and write timeouts by the client's interceptor.
	 * @param client the strict client
	 * @param request the request, tagged with its {@link AttemptTimeouts} or not
	 * @return the call, not started
	 * @since 0.1.0
	 */
	public static Call newCall(OkHttpClient client, Request request) {
		Call created = client.newCall(request);
		AttemptTimeouts timeouts = request.tag(AttemptTimeouts.class);
		if (timeouts != null) {
			created.timeout().timeout(timeouts.call().toNanos(), TimeUnit.NANOSECONDS);
		}
		return created;
	}

	/**
	 * A request body OkHttp may send once only: it then never re-sends it by itself, for
	 * whatever reason (a 503 with {@code Retry-After: 0}, a 421, a future version's new
	 * follow-up).
	 * @param contentType the SDK's content type, or {@code null}
	 * @param contentLength the length, or -1 when unknown
	 * @param writer writes the SDK's body, or {@code null} for an empty body
	 * @return the body
	 */
	public static RequestBody oneShot(String contentType, long contentLength, Consumer<OutputStream> writer) {
		return oneShot(contentType, contentLength, writer, false);
	}

	/**
	 * As {@link #oneShot(String, long, Consumer)}, for a body whose writer may write the same
	 * bytes again (the SDKs' JSON bodies say so with {@code repeatable()}): OkHttp still sends
	 * it once only, but {@link BoundedErrorBodies} reads an error's request texts by writing it
	 * again instead of copying every body as it is sent.
	 * @param contentType the SDK's content type, or {@code null}
	 * @param contentLength the length, or -1 when unknown
	 * @param writer writes the SDK's body, or {@code null} for an empty body
	 * @param repeatable whether {@code writer} writes the same bytes every time
	 * @return the body
	 * @since 0.1.0
	 */
	public static RequestBody oneShot(String contentType, long contentLength, Consumer<OutputStream> writer,
			boolean repeatable) {
		return new OneShotBody(mediaType(contentType), (writer != null) ? contentLength : 0, writer, repeatable);
	}

	/** The last content type parsed: every request of an SDK has the same one. */
	private static volatile MediaType lastMediaType;

	private static MediaType mediaType(String contentType) {
		if (contentType == null) {
			return null;
		}
		MediaType last = lastMediaType;
		if (last != null && last.toString().equals(contentType)) {
			return last;
		}
		MediaType parsed = MediaType.parse(contentType);
		lastMediaType = parsed;
		return parsed;
	}

	/** Whether {@link #replay} can write this body again. */
	static boolean isReplayable(RequestBody body) {
		return body instanceof OneShotBody oneShot && oneShot.repeatable;
	}

	/**
	 * Writes a repeatable one-shot body again, into {@code into}.
	 * @return whether it could (a body that is not one of ours, or not repeatable, cannot)
	 */
	static boolean replay(RequestBody body, Buffer into) {
		if (body instanceof OneShotBody oneShot && oneShot.repeatable) {
			if (oneShot.writer != null && into != null) {
				oneShot.writer.accept(into.outputStream());
			}
			return true;
		}
		return false;
	}

	private static final class OneShotBody extends RequestBody {

		private final MediaType contentType;

		private final long contentLength;

		private final Consumer<OutputStream> writer;

		private final boolean repeatable;

		OneShotBody(MediaType contentType, long contentLength, Consumer<OutputStream> writer, boolean repeatable) {
			this.contentType = contentType;
			this.contentLength = contentLength;
			this.writer = writer;
			this.repeatable = repeatable;
		}

		@Override
		public MediaType contentType() {
			return this.contentType;
		}

		@Override
		public long contentLength() {
			return this.contentLength;
		}

		@Override
		public boolean isOneShot() {
			return true;
		}

		@Override
		public void writeTo(BufferedSink sink) {
			if (this.writer != null) {
				this.writer.accept(sink.outputStream());
			}
		}

	}

}

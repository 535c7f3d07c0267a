package io.github.aifallback.chat.okhttp;

import java.io.OutputStream;
import java.time.Duration;
import java.util.function.Consumer;

import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
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
 * never a one-shot body.</li>
 * </ul>
 * Internal to the adapters.
 *
 * @since 0.1.0
 */
public final class SingleRequestOkHttp {

	private SingleRequestOkHttp() {
	}

	/**
	 * The client with every OkHttp follow-up off.
	 * @param client a configured client (interceptors, pool, dispatcher)
	 * @return a client sharing its set-up, which follows and re-sends nothing
	 */
	public static OkHttpClient strict(OkHttpClient client) {
		return client.newBuilder()
			.retryOnConnectionFailure(false)
			.followRedirects(false)
			.followSslRedirects(false)
			.build();
	}

	/**
	 * The client with one request's timeouts (a shallow copy: same pool and dispatcher).
	 * @param client the strict client
	 * @param connect the connect timeout
	 * @param read the read timeout
	 * @param write the write timeout
	 * @param call the whole call's timeout, the response body included
	 * @return the client for that request
	 */
	public static OkHttpClient withTimeouts(OkHttpClient client, Duration connect, Duration read, Duration write,
			Duration call) {
		return client.newBuilder()
			.connectTimeout(connect)
			.readTimeout(read)
			.writeTimeout(write)
			.callTimeout(call)
			.build();
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
		return new OneShotBody((contentType != null) ? MediaType.parse(contentType) : null,
				(writer != null) ? contentLength : 0, writer);
	}

	private static final class OneShotBody extends RequestBody {

		private final MediaType contentType;

		private final long contentLength;

		private final Consumer<OutputStream> writer;

		OneShotBody(MediaType contentType, long contentLength, Consumer<OutputStream> writer) {
			this.contentType = contentType;
			this.contentLength = contentLength;
			this.writer = writer;
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

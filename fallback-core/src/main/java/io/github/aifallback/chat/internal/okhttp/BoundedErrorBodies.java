package io.github.aifallback.chat.internal.okhttp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.aifallback.chat.failure.ErrorSanitizer;
import io.github.aifallback.chat.internal.support.ResponseTooLargeException;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * Bounds and cleans error bodies before the SDK reads them. openai-java reads a non-2xx
 * body whole into a JSON tree (its {@code ErrorHandler}), then quotes it in its exception's
 * message; this OkHttp application interceptor, added last (so nearest the network: every
 * other interceptor sees its result), replaces such a body by at most
 * {@value #MAX_ERROR_BODY_BYTES} bytes of it, closes the original, and redacts the request's
 * own credentials (its {@code Authorization}, {@code api-key}... header values), the texts
 * of its messages (as the request sent them) and anything that looks like a credential from
 * it, as {@link ErrorSanitizer} does for the chain's own exceptions: a provider echoing the
 * key or the prompt cannot put either into any exception, log or observation, Spring AI's
 * {@code gen_ai.client.operation} of the failed attempt included (it records the SDK's
 * exception, whose message quotes this body).
 * A successful response's body (not a stream's) is cut at the entry's bound: read beyond it,
 * it throws {@link ResponseTooLargeException}, so a broken gateway's endless 200 fails the
 * attempt as an invalid response instead of filling the heap. Streams pass untouched: their
 * deadline and idle timeout bound them. The OpenAI and Anthropic SDKs both read bodies this
 * way. Internal to the adapters.
 *
 * @since 0.1.0
 */
public final class BoundedErrorBodies implements Interceptor {

	/** The most of an error body ever read (64 KiB): real error bodies are below 1 KiB. */
	public static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

	private static final List<String> CREDENTIAL_HEADERS = List.of("Authorization", "Proxy-Authorization",
			"api-key", "x-api-key", "x-goog-api-key", "Ocp-Apim-Subscription-Key");

	/** The default bound of a successful response's body: 10 MiB. */
	public static final long DEFAULT_MAX_RESPONSE_BYTES = 10L * 1024 * 1024;

	private final long maxResponseBytes;

	/** An interceptor with the default bound of successful bodies. */
	public BoundedErrorBodies() {
		this(DEFAULT_MAX_RESPONSE_BYTES);
	}

	/**
	 * An interceptor; it holds no state but its bound.
	 * @param maxResponseBytes the most read of a successful, non-streaming response's body
	 */
	public BoundedErrorBodies(long maxResponseBytes) {
		this.maxResponseBytes = maxResponseBytes;
	}

	/**
	 * The check of a bound on successful bodies, for the adapters' builders that take one.
	 * @param maxResponseBytes the bound, in bytes
	 * @return the bound
	 * @throws IllegalArgumentException when it is less than 1
	 */
	public static long requireBound(long maxResponseBytes) {
		if (maxResponseBytes < 1) {
			throw new IllegalArgumentException("maxResponseBytes must be at least 1");
		}
		return maxResponseBytes;
	}

	@Override
	public Response intercept(Chain chain) throws IOException {
		Request request = chain.request();
		RequestTexts texts = new RequestTexts();
		Response response = chain.proceed(texts.capture(request));
		ResponseBody body = response.body();
		if (body == null) {
			return response;
		}
		if (response.isSuccessful()) {
			if (isStream(response)) {
				// A stream is bounded by its deadline and idle timeout; its error events are
				// cleaned as they pass, every other line passes as it came.
				return response.newBuilder().body(StreamErrorEvents.cleaning(body, request, texts)).build();
			}
			if (withinBound(response, body, this.maxResponseBytes)) {
				// A plain body of a known length within the bound is bounded by OkHttp itself,
				// which reads no byte beyond it.
				return response;
			}
			return response.newBuilder().body(limited(body, this.maxResponseBytes)).build();
		}
		MediaType contentType = body.contentType();
		Buffer head = new Buffer();
		try (body) {
			BufferedSource source = body.source();
			while (head.size() < MAX_ERROR_BODY_BYTES) {
				if (source.read(head, MAX_ERROR_BODY_BYTES - head.size()) == -1) {
					break;
				}
			}
		}
		catch (IOException ex) {
			// The status line arrived and says what matters; a body cut short by the
			// connection is only less detail.
		}
		String text = ErrorSanitizer.redactBody(redact(head.readString(StandardCharsets.UTF_8), request), List.of(),
				texts.texts());
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		return response.newBuilder()
			.removeHeader("Content-Length")
			.removeHeader("Content-Encoding")
			.header("Content-Length", Integer.toString(bytes.length))
			.body(ResponseBody.create(bytes, contentType))
			.build();
	}

	/**
	 * Whether OkHttp's own reading keeps this body within the bound: a {@code Content-Length}
	 * at or under it, and no content coding (OkHttp's transparent gzip would inflate beyond
	 * the length), the body read as its length says.
	 */
	private static boolean withinBound(Response response, ResponseBody body, long max) {
		long length = body.contentLength();
		return length >= 0 && length <= max && response.header("Content-Encoding") == null;
	}

	/**
	 * Whether the body is server-sent events, read from the header as it came: OkHttp's
	 * {@code body.contentType()} parses the header with a regular expression on every call,
	 * a measurable part of this interceptor's cost on every answer.
	 */
	static boolean isStream(Response response) {
		String type = response.header("Content-Type");
		if (type == null) {
			// Only a body built in code has a type without the header (a network body's type is the header).
			MediaType parsed = (response.body() != null) ? response.body().contentType() : null;
			return parsed != null && "text".equals(parsed.type()) && "event-stream".equals(parsed.subtype());
		}
		int start = 0;
		while (start < type.length() && type.charAt(start) == ' ') {
			start++;
		}
		String expected = "text/event-stream";
		if (!type.regionMatches(true, start, expected, 0, expected.length())) {
			return false;
		}
		int end = start + expected.length();
		// The whole type, not a longer one: end of the header, parameters or white space next.
		return end == type.length() || type.charAt(end) == ';' || type.charAt(end) == ' ' || type.charAt(end) == '\t';
	}

	/** The body, failing once more than the bound is read (at once when its length says so). */
	private static ResponseBody limited(ResponseBody body, long max) {
		long length = body.contentLength();
		ForwardingSource counting = new ForwardingSource(body.source()) {

			private long read;

			@Override
			public long read(Buffer sink, long byteCount) throws IOException {
				if (length > max) {
					throw new ResponseTooLargeException(max);
				}
				long n = super.read(sink, byteCount);
				if (n > 0) {
					this.read += n;
					if (this.read > max) {
						throw new ResponseTooLargeException(max);
					}
				}
				return n;
			}

		};
		return ResponseBody.create(Okio.buffer(counting), body.contentType(), length);
	}

	/** The text, the request's credential header values (and bearer keys) redacted. */
	static String redact(String text, Request request) {
		List<String> secrets = new ArrayList<>();
		for (String header : CREDENTIAL_HEADERS) {
			for (String value : request.headers(header)) {
				secrets.add(value);
				int space = value.indexOf(' ');
				if (space > 0) {
					// "Bearer <key>": the key alone, too.
					secrets.add(value.substring(space + 1).trim());
				}
			}
		}
		String result = text;
		for (String secret : secrets) {
			if (secret.length() >= ErrorSanitizer.MIN_SECRET_LENGTH) {
				result = result.replace(secret, ErrorSanitizer.REDACTED);
			}
		}
		return result;
	}

}

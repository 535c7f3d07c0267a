package io.github.aifallback.chat.okhttp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.aifallback.chat.ErrorSanitizer;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Bounds and cleans error bodies before the SDK reads them. openai-java reads a non-2xx
 * body whole into a JSON tree (its {@code ErrorHandler}), then quotes it in its exception's
 * message; this OkHttp application interceptor, added last (so nearest the network: every
 * other interceptor sees its result), replaces such a body by at most
 * {@value #MAX_ERROR_BODY_BYTES} bytes of it, closes the original, and redacts the request's
 * own credentials (its {@code Authorization}, {@code api-key}... header values) from it, so
 * that a provider echoing the key cannot put it into any exception or log.
 * Successful responses (streams included) pass untouched. The OpenAI and Anthropic SDKs
 * both read error bodies this way. Internal to the adapters.
 *
 * @since 0.1.0
 */
public final class BoundedErrorBodies implements Interceptor {

	/** The most of an error body ever read (64 KiB): real error bodies are below 1 KiB. */
	public static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

	private static final List<String> CREDENTIAL_HEADERS = List.of("Authorization", "Proxy-Authorization",
			"api-key", "x-api-key", "x-goog-api-key", "Ocp-Apim-Subscription-Key");

	/** An interceptor; it holds no state. */
	public BoundedErrorBodies() {
	}

	@Override
	public Response intercept(Chain chain) throws IOException {
		Request request = chain.request();
		Response response = chain.proceed(request);
		ResponseBody body = response.body();
		if (response.isSuccessful() || body == null) {
			return response;
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
		String text = redact(head.readString(StandardCharsets.UTF_8), request);
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		return response.newBuilder()
			.removeHeader("Content-Length")
			.removeHeader("Content-Encoding")
			.header("Content-Length", Integer.toString(bytes.length))
			.body(ResponseBody.create(bytes, contentType))
			.build();
	}

	private static String redact(String text, Request request) {
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

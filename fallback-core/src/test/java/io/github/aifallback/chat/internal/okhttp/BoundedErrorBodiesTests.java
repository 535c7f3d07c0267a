package io.github.aifallback.chat.internal.okhttp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.junit.jupiter.api.Test;

import io.github.aifallback.chat.failure.ErrorSanitizer;
import io.github.aifallback.chat.internal.support.ResponseTooLargeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The interceptor in front of the SDK: an error body is read to 64 KiB at most, the original
 * closed, the request's credentials redacted; success passes untouched.
 */
class BoundedErrorBodiesTests {

	private static final String KEY = "gw-live-0123456789abcdef";

	private final AtomicBoolean closed = new AtomicBoolean();

	private Response call(int status, ResponseBody body) throws IOException {
		OkHttpClient client = new OkHttpClient.Builder().addInterceptor(new BoundedErrorBodies())
			.addInterceptor((chain) -> new Response.Builder().request(chain.request())
				.protocol(Protocol.HTTP_1_1)
				.code(status)
				.message("status")
				.body(body)
				.build())
			.build();
		return client
			.newCall(new Request.Builder().url("http://127.0.0.1:9/v1/chat/completions")
				.header("Authorization", "Bearer " + KEY)
				.build())
			.execute();
	}

	/** A body that never ends, and says when it was closed. */
	private ResponseBody endless() {
		Source source = new Source() {
			@Override
			public long read(Buffer sink, long byteCount) {
				long count = Math.min(byteCount, 8192);
				for (long i = 0; i < count; i++) {
					sink.writeByte('x');
				}
				return count;
			}

			@Override
			public Timeout timeout() {
				return Timeout.NONE;
			}

			@Override
			public void close() {
				BoundedErrorBodiesTests.this.closed.set(true);
			}
		};
		BufferedSource buffered = Okio.buffer(source);
		return ResponseBody.create(buffered, MediaType.get("application/json"), -1);
	}

	@Test
	void whenAnErrorBodyNeverEndsThenOnly64KibAreReadAndTheOriginalIsClosed() throws IOException {
		try (Response response = call(500, endless())) {
			assertThat(response.body().bytes()).hasSize(BoundedErrorBodies.MAX_ERROR_BODY_BYTES);
			assertThat(response.header("Content-Length"))
				.isEqualTo(Integer.toString(BoundedErrorBodies.MAX_ERROR_BODY_BYTES));
		}
		assertThat(this.closed).isTrue();
	}

	@Test
	void whenAnErrorBodyEchoesTheRequestsKeyThenTheKeyIsRedacted() throws IOException {
		try (Response response = call(401,
				ResponseBody.create("{\"error\":{\"message\":\"bad key " + KEY + "\"}}", MediaType.get("application/json")))) {
			assertThat(response.body().string()).doesNotContain(KEY).contains(ErrorSanitizer.REDACTED);
		}
	}

	@Test
	void whenTheResponseSucceedsThenItsBodyIsUntouched() throws IOException {
		try (Response response = call(200, endless())) {
			assertThat(response.body().source().readByteString(1024 * 1024).size()).isEqualTo(1024 * 1024);
		}
	}

	/** A call whose request carries a one-shot JSON body; the server echoes {@code echoed}. */
	private Response callWithBody(boolean repeatable, int status, String echoed, AtomicInteger writes)
			throws IOException {
		String json = "{\"messages\":[{\"role\":\"user\",\"content\":\"my secret plan\"}]}";
		OkHttpClient client = new OkHttpClient.Builder().addInterceptor(new BoundedErrorBodies())
			.addInterceptor((chain) -> {
				Buffer sent = new Buffer();
				chain.request().body().writeTo(sent);
				assertThat(sent.readUtf8()).isEqualTo(json);
				return new Response.Builder().request(chain.request())
					.protocol(Protocol.HTTP_1_1)
					.code(status)
					.message("status")
					.body(ResponseBody.create(echoed, MediaType.get("application/json")))
					.build();
			})
			.build();
		return client.newCall(new Request.Builder().url("http://127.0.0.1:9/v1/chat/completions")
			.post(SingleRequestOkHttp.oneShot("application/json", json.length(), (out) -> {
				writes.incrementAndGet();
				try {
					out.write(json.getBytes(StandardCharsets.UTF_8));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}, repeatable))
			.build()).execute();
	}

	@Test
	void whenARepeatableBodysErrorEchoesThePromptThenThePromptIsRedactedFromTheBodyWrittenAgain()
			throws IOException {
		AtomicInteger writes = new AtomicInteger();
		try (Response response = callWithBody(true, 400, "{\"error\":{\"message\":\"bad: my secret plan\"}}",
				writes)) {
			assertThat(response.body().string()).doesNotContain("my secret plan");
		}
		// Once sent, once more for the texts: only because the answer was an error.
		assertThat(writes).hasValue(2);
	}

	@Test
	void whenARepeatableBodySucceedsThenItIsWrittenOnceOnly() throws IOException {
		AtomicInteger writes = new AtomicInteger();
		try (Response response = callWithBody(true, 200, "{\"ok\":true}", writes)) {
			assertThat(response.body().string()).isEqualTo("{\"ok\":true}");
		}
		assertThat(writes).hasValue(1);
	}

	@Test
	void whenABodyIsNotRepeatableThenItIsCopiedAsSentAndThePromptStillRedacted() throws IOException {
		AtomicInteger writes = new AtomicInteger();
		try (Response response = callWithBody(false, 400, "{\"error\":{\"message\":\"bad: my secret plan\"}}",
				writes)) {
			assertThat(response.body().string()).doesNotContain("my secret plan");
		}
		assertThat(writes).hasValue(1);
	}

	@Test
	void whenASuccessfulBodysLengthIsOverTheBoundThenReadingItFails() throws IOException {
		OkHttpClient client = new OkHttpClient.Builder().addInterceptor(new BoundedErrorBodies(10))
			.addInterceptor((chain) -> new Response.Builder().request(chain.request())
				.protocol(Protocol.HTTP_1_1)
				.code(200)
				.message("ok")
				.body(ResponseBody.create("{\"longer\":\"than ten bytes\"}", MediaType.get("application/json")))
				.build())
			.build();
		try (Response response = client.newCall(new Request.Builder().url("http://127.0.0.1:9/").build()).execute()) {
			assertThatExceptionOfType(ResponseTooLargeException.class).isThrownBy(() -> response.body().string());
		}
	}


	@Test
	void aStreamIsToldByItsContentTypeHeaderInAnyCaseWithOrWithoutParametersAndNotByALongerType() {
		assertThat(BoundedErrorBodies.isStream(withContentType("text/event-stream"))).isTrue();
		assertThat(BoundedErrorBodies.isStream(withContentType("text/event-stream; charset=utf-8"))).isTrue();
		assertThat(BoundedErrorBodies.isStream(withContentType("Text/Event-Stream;charset=UTF-8"))).isTrue();
		assertThat(BoundedErrorBodies.isStream(withContentType(" text/event-stream"))).isTrue();
		assertThat(BoundedErrorBodies.isStream(withContentType("text/event-streams"))).isFalse();
		assertThat(BoundedErrorBodies.isStream(withContentType("application/json"))).isFalse();
		assertThat(BoundedErrorBodies.isStream(withContentType("text/event"))).isFalse();
		assertThat(BoundedErrorBodies.isStream(withContentType(""))).isFalse();
		Response noHeader = withContentType(null);
		assertThat(BoundedErrorBodies.isStream(noHeader)).isFalse();
		Response typedInCode = noHeader.newBuilder()
			.body(ResponseBody.create("data: x\n\n", MediaType.get("text/event-stream")))
			.build();
		assertThat(BoundedErrorBodies.isStream(typedInCode)).as("a body typed in code, no header").isTrue();
	}

	private static Response withContentType(String type) {
		Response.Builder response = new Response.Builder()
			.request(new Request.Builder().url("http://127.0.0.1:9/v1/chat/completions").build())
			.protocol(Protocol.HTTP_1_1)
			.code(200)
			.message("OK")
			.body(ResponseBody.create("{}", null));
		if (type != null) {
			response.header("Content-Type", type);
		}
		return response.build();
	}

}

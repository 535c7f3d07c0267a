package io.github.aifallback.chat.internal.okhttp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.ForwardingSink;
import okio.Okio;

/**
 * The texts of a request's messages, as its JSON body sent them, to redact from an error
 * body that echoes them. The body is copied as it goes to the network (the first
 * {@value #MAX_CAPTURED_BYTES} bytes; a one-shot body cannot be read twice) and read only
 * when the response is an error.
 */
final class RequestTexts {

	/** The most of a request body kept: the texts of longer ones are found in this part. */
	static final int MAX_CAPTURED_BYTES = 1024 * 1024;

	// The JSON fields that carry what a caller wrote, in OpenAI's and Anthropic's requests.
	private static final Pattern TEXT_FIELD = Pattern
		.compile("\"(?:content|text|system|arguments|input)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

	private final Buffer captured = new Buffer();

	/** The request's body when it can be written again for {@link #texts()}, else {@code null}. */
	private RequestBody replayable;

	/**
	 * The request, its body copied as it is written; or the request itself when its body can
	 * be written again (the SDKs' JSON): then only an error, which needs the texts, pays for
	 * a copy. A copy per request also kept its buffer's segments out of okio's pool, so every
	 * request took a new 8 KiB segment.
	 */
	Request capture(Request request) {
		RequestBody body = request.body();
		if (body == null) {
			return request;
		}
		if (SingleRequestOkHttp.isReplayable(body)) {
			this.replayable = body;
			return request;
		}
		return request.newBuilder().method(request.method(), new CapturingBody(body, this.captured)).build();
	}

	/** The texts the request's body carried, unescaped. */
	List<String> texts() {
		List<String> texts = new ArrayList<>();
		if (this.replayable != null) {
			try {
				SingleRequestOkHttp.replay(this.replayable, this.captured);
			}
			catch (RuntimeException ex) {
				// Only the redaction's input: what was written so far is searched.
			}
			this.replayable = null;
		}
		int kept = (int) Math.min(this.captured.size(), MAX_CAPTURED_BYTES);
		Matcher matcher = TEXT_FIELD.matcher(this.captured.snapshot(kept).string(StandardCharsets.UTF_8));
		while (matcher.find()) {
			texts.add(unescape(matcher.group(1)));
		}
		return texts;
	}

	private static String unescape(String json) {
		if (json.indexOf('\\') < 0) {
			return json;
		}
		StringBuilder text = new StringBuilder(json.length());
		for (int i = 0; i < json.length(); i++) {
			char c = json.charAt(i);
			if (c != '\\' || i + 1 >= json.length()) {
				text.append(c);
				continue;
			}
			char escaped = json.charAt(++i);
			switch (escaped) {
				case 'n' -> text.append('\n');
				case 't' -> text.append('\t');
				case 'r' -> text.append('\r');
				case 'b' -> text.append('\b');
				case 'f' -> text.append('\f');
				case 'u' -> {
					if (i + 4 < json.length()) {
						text.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
						i += 4;
					}
				}
				default -> text.append(escaped);
			}
		}
		return text.toString();
	}

	private static final class CapturingBody extends RequestBody {

		private final RequestBody delegate;

		private final Buffer captured;

		CapturingBody(RequestBody delegate, Buffer captured) {
			this.delegate = delegate;
			this.captured = captured;
		}

		@Override
		public MediaType contentType() {
			return this.delegate.contentType();
		}

		@Override
		public long contentLength() throws IOException {
			return this.delegate.contentLength();
		}

		@Override
		public boolean isOneShot() {
			return this.delegate.isOneShot();
		}

		@Override
		public boolean isDuplex() {
			return this.delegate.isDuplex();
		}

		@Override
		public void writeTo(BufferedSink sink) throws IOException {
			Buffer captured = this.captured;
			BufferedSink tee = Okio.buffer(new ForwardingSink(sink) {

				@Override
				public void write(Buffer source, long byteCount) throws IOException {
					long room = MAX_CAPTURED_BYTES - captured.size();
					if (room > 0) {
						source.copyTo(captured, 0, Math.min(room, byteCount));
					}
					super.write(source, byteCount);
				}

			});
			this.delegate.writeTo(tee);
			tee.emit();
		}

	}

}

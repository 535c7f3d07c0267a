package io.github.aifallback.chat.internal.okhttp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.aifallback.chat.failure.ErrorSanitizer;
import okhttp3.Request;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;
import okio.Okio;
import okio.Source;
import okio.Timeout;

/**
 * Cleans the error events of a successful (200) event stream before the SDK reads them, as
 * {@link BoundedErrorBodies} cleans error bodies: a provider that fails while streaming
 * says so inside the stream (OpenAI: {@code data: {"error":{...}}}; Anthropic:
 * {@code event: error} with {@code {"type":"error","error":{...}}}), and the SDK turns that
 * data into its exception, which Spring AI records on its {@code gen_ai.client.operation}
 * observation and its {@code MessageAggregator} logs. Such a data line has the request's
 * credential header values, the texts of its messages and anything that looks like a
 * credential redacted; the JSON stays whole, so its type and code still classify it.
 * <p>
 * Every other line passes as it came, byte for byte, as soon as it is complete (the SDK
 * reads whole lines anyway): only lines holding the bytes {@code "error"} are looked at, and
 * only their top-level JSON fields decide. A line longer than {@value #MAX_LINE_BYTES}
 * bytes passes unread.
 */
final class StreamErrorEvents implements Source {

	/** Lines longer than this pass through unread: real events are far shorter. */
	static final int MAX_LINE_BYTES = 1024 * 1024;

	private static final JsonFactory JSON = new JsonFactory();

	private static final ByteString EVENT = ByteString.encodeUtf8("event:");

	private static final ByteString DATA = ByteString.encodeUtf8("data:");

	private static final ByteString ERROR = ByteString.encodeUtf8("\"error\"");

	private final BufferedSource upstream;

	private final Request request;

	private final RequestTexts texts;

	private final Buffer ready = new Buffer();

	/** Whether the event being read was named {@code error}. */
	private boolean errorEvent;

	/** Whether the line being passed is too long to be read: pass it up to its end. */
	private boolean longLine;

	private StreamErrorEvents(BufferedSource upstream, Request request, RequestTexts texts) {
		this.upstream = upstream;
		this.request = request;
		this.texts = texts;
	}

	/** The stream's body, its error events cleaned. */
	static ResponseBody cleaning(ResponseBody body, Request request, RequestTexts texts) {
		Source source = new StreamErrorEvents(body.source(), request, texts);
		return ResponseBody.create(Okio.buffer(source), body.contentType(), body.contentLength());
	}

	@Override
	public long read(Buffer sink, long byteCount) throws IOException {
		while (this.ready.size() == 0) {
			if (!next()) {
				return -1;
			}
		}
		return this.ready.read(sink, Math.min(byteCount, this.ready.size()));
	}

	/** Moves the next line (or part of a long one) to {@link #ready}; false at the end. */
	private boolean next() throws IOException {
		long newline = this.upstream.indexOf((byte) '\n', 0, MAX_LINE_BYTES);
		if (newline < 0) {
			long buffered = this.upstream.getBuffer().size();
			if (buffered == 0) {
				return false;
			}
			// No end of line within the bound: the stream ended (its last line, cleaned) or
			// the line is too long to be an event worth reading (passed as it is).
			this.longLine = buffered >= MAX_LINE_BYTES;
			ByteString part = this.upstream.readByteString(Math.min(buffered, MAX_LINE_BYTES));
			this.ready.write(this.longLine ? part : clean(part));
			return true;
		}
		ByteString line = this.upstream.readByteString(newline + 1);
		if (this.longLine) {
			this.longLine = false;
			this.ready.write(line);
			return true;
		}
		this.ready.write(clean(line));
		return true;
	}

	private ByteString clean(ByteString line) {
		if (line.startsWith(EVENT)) {
			this.errorEvent = "error".equals(line.substring(EVENT.size()).utf8().strip());
			return line;
		}
		if (line.size() <= 2 && line.utf8().isBlank()) {
			this.errorEvent = false;
			return line;
		}
		if (!line.startsWith(DATA) || line.indexOf(ERROR, 0) < 0) {
			return line;
		}
		String data = line.substring(DATA.size()).utf8();
		if (!this.errorEvent && !isError(data)) {
			return line;
		}
		String clean = ErrorSanitizer.redactBody(BoundedErrorBodies.redact(data.strip(), this.request), List.of(),
				this.texts.texts());
		return ByteString.encodeString("data: " + clean + "\n", StandardCharsets.UTF_8);
	}

	/**
	 * Whether an event's data says it is an error: a top-level {@code error} field, or a
	 * top-level {@code type} or {@code object} that is {@code "error"}.
	 */
	static boolean isError(String data) {
		try (JsonParser json = JSON.createParser(data)) {
			if (json.nextToken() != JsonToken.START_OBJECT) {
				return false;
			}
			while (json.nextToken() == JsonToken.FIELD_NAME) {
				String name = json.currentName();
				JsonToken value = json.nextToken();
				if ("error".equals(name)) {
					return true;
				}
				if (("type".equals(name) || "object".equals(name)) && value == JsonToken.VALUE_STRING
						&& "error".equals(json.getText())) {
					return true;
				}
				json.skipChildren();
			}
			return false;
		}
		catch (IOException | RuntimeException ex) {
			// Not JSON: the SDK cannot read it as an error either.
			return false;
		}
	}

	@Override
	public Timeout timeout() {
		return this.upstream.timeout();
	}

	@Override
	public void close() throws IOException {
		this.upstream.close();
	}

}

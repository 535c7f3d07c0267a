package io.github.aifallback.chat.internal.okhttp;

import java.io.IOException;

import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only an event stream's error events are rewritten: every other line passes byte for byte,
 * even one whose text says {@code "error"}, and a line too long to read passes unread.
 */
class StreamErrorEventsTests {

	private static final String KEY = "gw-live-0123456789abcdef";

	private static String cleaned(String stream) throws IOException {
		Request request = new Request.Builder().url("http://127.0.0.1:9/v1/messages")
			.header("x-api-key", KEY)
			.build();
		ResponseBody body = ResponseBody.create(stream, MediaType.get("text/event-stream"));
		return StreamErrorEvents.cleaning(body, request, new RequestTexts()).string();
	}

	@Test
	void whenNoEventIsAnErrorThenTheStreamPassesByteForByte() throws IOException {
		String stream = "data: {\"choices\":[{\"delta\":{\"content\":\"error\"}}]}\n\n"
				+ "event: content_block_delta\r\ndata: {\"type\":\"text\",\"text\":\"\\\"error\\\": " + KEY + "\"}\r\n\r\n"
				+ "data: [DONE]";

		assertThat(cleaned(stream)).isEqualTo(stream);
	}

	@Test
	void whenAnEventIsAnErrorThenOnlyItsDataIsCleaned() throws IOException {
		String stream = "data: {\"choices\":[]}\n\n" + "data: {\"error\":{\"message\":\"bad key " + KEY
				+ "\",\"code\":\"c\"}}\n\n" + "event: error\ndata: {\"type\":\"error\",\"error\":{\"message\":\"key "
				+ KEY + "\"}}\n\n";

		assertThat(cleaned(stream)).isEqualTo("data: {\"choices\":[]}\n\n"
				+ "data: {\"error\":{\"message\":\"bad key [REDACTED]\",\"code\":\"c\"}}\n\n"
				+ "event: error\ndata: {\"type\":\"error\",\"error\":{\"message\":\"key [REDACTED]\"}}\n\n");
	}

	@Test
	void whenALineIsTooLongToReadThenItPassesUnread() throws IOException {
		String longLine = "data: {\"error\":\"" + "x".repeat(StreamErrorEvents.MAX_LINE_BYTES) + "\"}\n";
		String stream = longLine + "\ndata: {\"error\":\"" + KEY + "\"}\n\n";

		String cleaned = cleaned(stream);

		assertThat(cleaned.startsWith(longLine)).as("the long line passed as it was").isTrue();
		assertThat(cleaned.substring(longLine.length())).isEqualTo("\ndata: {\"error\":\"[REDACTED]\"}\n\n");
	}

	@Test
	void whenDataIsNotJsonThenItIsNotAnError() {
		assertThat(StreamErrorEvents.isError("[DONE]")).isFalse();
		assertThat(StreamErrorEvents.isError("{\"error\"")).isFalse();
		assertThat(StreamErrorEvents.isError("{\"error\":{\"message\":\"m\"}}")).isTrue();
		assertThat(StreamErrorEvents.isError("{\"object\":\"error\",\"message\":\"m\"}")).isTrue();
		assertThat(StreamErrorEvents.isError("{\"choices\":[{\"error\":1}]}")).isFalse();
		assertThat(StreamErrorEvents.isError("not json \"error\"")).isFalse();
	}

}

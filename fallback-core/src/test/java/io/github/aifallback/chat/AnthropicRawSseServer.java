package io.github.aifallback.chat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Anthropic Messages streaming endpoint on a raw socket, for what WireMock cannot show:
 * a client that closes the connection mid-stream, and events spread over time. Each
 * connection gets a 200, then {@code events} text deltas {@code gapMillis} apart, then the
 * stream's normal end (message_delta with its stop reason, message_stop).
 */
final class AnthropicRawSseServer extends RawHttpServer {

	private final int events;

	private final long gapMillis;

	final AtomicInteger requests = new AtomicInteger();

	final AtomicInteger eventsWritten = new AtomicInteger();

	/** Counted down when a client closed the connection while events were still to come. */
	final CountDownLatch closedByClient = new CountDownLatch(1);

	AnthropicRawSseServer(int events, long gapMillis) throws IOException {
		super("anthropic-raw-sse-server");
		this.events = events;
		this.gapMillis = gapMillis;
		start();
	}

	/** The base URL as the Anthropic SDK wants it: no version path. */
	String anthropicBaseUrl() {
		return baseUrl().substring(0, baseUrl().length() - "/v1".length());
	}

	@Override
	void serve(Socket socket) {
		try (socket) {
			readRequest(socket.getInputStream());
			this.requests.incrementAndGet();
			OutputStream out = socket.getOutputStream();
			out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
					+ "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			chunk(out, AnthropicStubs.start("raw"));
			for (int i = 0; i < this.events; i++) {
				Thread.sleep(this.gapMillis);
				chunk(out, AnthropicStubs.event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,"
						+ "\"delta\":{\"type\":\"text_delta\",\"text\":\"tok" + i + " \"}}"));
				this.eventsWritten.incrementAndGet();
			}
			chunk(out, AnthropicStubs.end("end_turn"));
			out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
		}
		catch (IOException clientWentAway) {
			this.closedByClient.countDown();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void chunk(OutputStream out, String data) throws IOException {
		RawHttpServer.chunk(out, data.getBytes(StandardCharsets.UTF_8));
	}

}

package io.github.aifallback.chat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible streaming endpoint on a raw socket (127.0.0.1, a free port), for
 * what WireMock cannot show: a connection cut in the middle of a stream, and a client that
 * closes the connection. Each connection gets a 200, then {@code events} content chunks
 * {@code gapMillis} apart; then, if {@code cut}, the socket is closed without ending the
 * stream, otherwise the stream ends normally.
 */
final class RawSseServer extends RawHttpServer {

	private final int events;

	private final long gapMillis;

	private final boolean cut;

	final AtomicInteger requests = new AtomicInteger();

	final AtomicInteger eventsWritten = new AtomicInteger();

	/** Counted down when a client closed the connection while events were still to come. */
	final CountDownLatch closedByClient = new CountDownLatch(1);

	RawSseServer(int events, long gapMillis, boolean cut) throws IOException {
		super("raw-sse-server");
		this.events = events;
		this.gapMillis = gapMillis;
		this.cut = cut;
		start();
	}

	@Override
	void serve(Socket socket) {
		try (socket) {
			readRequest(socket.getInputStream());
			this.requests.incrementAndGet();
			OutputStream out = socket.getOutputStream();
			out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
					+ "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			chunk(out, event("{\"role\":\"assistant\",\"content\":\"\"}", null));
			for (int i = 0; i < this.events; i++) {
				Thread.sleep(this.gapMillis);
				chunk(out, event("{\"content\":\"tok" + i + " \"}", null));
				this.eventsWritten.incrementAndGet();
			}
			if (this.cut) {
				socket.setSoLinger(true, 0);
				return;
			}
			chunk(out, event("{}", "stop"));
			chunk(out, "data: [DONE]\n\n");
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

	private static String event(String delta, String finishReason) {
		return "data: {\"id\":\"chatcmpl-raw\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
				+ "\"model\":\"raw\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
				+ ((finishReason != null) ? "\"" + finishReason + "\"" : "null") + "}]}\n\n";
	}

	private static void chunk(OutputStream out, String data) throws IOException {
		RawHttpServer.chunk(out, data.getBytes(StandardCharsets.UTF_8));
	}

}

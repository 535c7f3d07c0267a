package io.github.aifallback.chat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A provider on a raw socket (127.0.0.1, a free port) that answers every request with a
 * 500 whose JSON error body never ends, until the client closes the connection: a client
 * that reads error bodies whole never gets past it.
 */
final class EndlessErrorServer extends RawHttpServer {

	// Many small values rather than one long string: Jackson limits a string's length,
	// not an array's, so a client reading this whole reads until its timeout.
	private static final byte[] PIECE = "0,".repeat(8 * 1024).getBytes(StandardCharsets.US_ASCII);

	final AtomicInteger requests = new AtomicInteger();

	final AtomicLong bytesWritten = new AtomicLong();

	EndlessErrorServer() throws IOException {
		super("endless-error-server");
		start();
	}

	@Override
	void serve(Socket socket) {
		try (socket) {
			readRequest(socket.getInputStream());
			this.requests.incrementAndGet();
			OutputStream out = socket.getOutputStream();
			out.write(("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
					+ "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			counted(out, "{\"error\":{\"message\":\"endless\",\"details\":[".getBytes(StandardCharsets.US_ASCII));
			while (!socket.isClosed()) {
				counted(out, PIECE);
				// About 1.6 MB/s: endless, yet no threat to the memory of a client that reads it all.
				Thread.sleep(10);
			}
		}
		catch (IOException clientWentAway) {
			// The client read what it wanted and closed the connection.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void counted(OutputStream out, byte[] bytes) throws IOException {
		chunk(out, bytes);
		this.bytesWritten.addAndGet(bytes.length);
	}

}

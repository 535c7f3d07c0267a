package io.github.aifallback.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A provider on a raw socket (127.0.0.1, a free port) that answers every request with a
 * 500 whose JSON error body never ends, until the client closes the connection: a client
 * that reads error bodies whole never gets past it.
 */
final class EndlessErrorServer implements AutoCloseable {

	// Many small values rather than one long string: Jackson limits a string's length,
	// not an array's, so a client reading this whole reads until its timeout.
	private static final byte[] PIECE = "0,".repeat(8 * 1024).getBytes(StandardCharsets.US_ASCII);

	private final ServerSocket server;

	final AtomicInteger requests = new AtomicInteger();

	final AtomicLong bytesWritten = new AtomicLong();

	EndlessErrorServer() throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
		Thread acceptor = new Thread(this::acceptLoop, "endless-error-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.server.getLocalPort() + "/v1";
	}

	private void acceptLoop() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				Thread handler = new Thread(() -> serve(socket), "endless-error-connection");
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException closed) {
				return;
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			readHead(socket.getInputStream());
			this.requests.incrementAndGet();
			OutputStream out = socket.getOutputStream();
			out.write(("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
					+ "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			chunk(out, "{\"error\":{\"message\":\"endless\",\"details\":[".getBytes(StandardCharsets.US_ASCII));
			while (!socket.isClosed()) {
				chunk(out, PIECE);
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

	private void chunk(OutputStream out, byte[] bytes) throws IOException {
		out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
		out.write(bytes);
		out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		out.flush();
		this.bytesWritten.addAndGet(bytes.length);
	}

	/** The request line and headers; the body is left unread, the answer does not need it. */
	private static void readHead(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("request ended early");
			}
			head.append((char) b);
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

}

package io.github.aifallback.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An HTTP server on a raw socket (127.0.0.1, a free port), one daemon thread a connection,
 * for what WireMock cannot show: bodies cut or never ending, clients that close early.
 * Subclasses write each answer in {@link #serve(Socket)} and call {@link #start()} last in
 * their constructor.
 */
abstract class RawHttpServer implements AutoCloseable {

	private final ServerSocket server;

	private final String name;

	RawHttpServer(String name) throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
		this.name = name;
	}

	/** Accept connections: called once the subclass is fully built. */
	final void start() {
		Thread acceptor = new Thread(this::acceptLoop, this.name);
		acceptor.setDaemon(true);
		acceptor.start();
	}

	final String baseUrl() {
		return "http://127.0.0.1:" + this.server.getLocalPort() + "/v1";
	}

	/** Answer one connection; the socket is closed afterwards. */
	abstract void serve(Socket socket);

	private void acceptLoop() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				Thread handler = new Thread(() -> serve(socket), this.name + "-connection");
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException closed) {
				return;
			}
		}
	}

	/** One chunk of a chunked body. */
	static void chunk(OutputStream out, byte[] bytes) throws IOException {
		out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
		out.write(bytes);
		out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	/** The request line, the headers and a body of Content-Length, if any. */
	static void readRequest(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("request ended early");
			}
			head.append((char) b);
		}
		int length = 0;
		for (String line : head.toString().split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring("content-length:".length()).trim());
			}
		}
		in.readNBytes(length);
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

}

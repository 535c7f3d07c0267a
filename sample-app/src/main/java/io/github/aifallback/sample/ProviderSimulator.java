package io.github.aifallback.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OpenAI-compatible chat completions server, which also speaks Anthropic's Messages API,
 * embedded in the sample so that the fallback chain can be watched at work across vendors
 * without any key: it binds 127.0.0.1 on a port the system chooses and plays the models
 * described in {@link SimulatedCompletions} and {@link SimulatedMessages}.
 */
public final class ProviderSimulator implements AutoCloseable {

	private static final String PATH = "/v1/chat/completions";

	private static final int MAX_BODY_BYTES = 1024 * 1024;

	private static final String NO_DELAY = "sun.net.httpserver.nodelay";

	private static final long STREAM_GAP_MILLIS = 40;

	private final SimulatedCompletions completions;

	private final SimulatedMessages messages = new SimulatedMessages();

	private HttpServer server;

	private ExecutorService executor;

	/**
	 * Create a simulator whose primary model fails the given share of calls, at random.
	 * @param primaryFailureRate between 0.0 (never fails) and 1.0 (always fails)
	 */
	public ProviderSimulator(double primaryFailureRate) {
		this(primaryFailureRate, new SplittableRandom());
	}

	ProviderSimulator(double primaryFailureRate, RandomGenerator random) {
		this.completions = new SimulatedCompletions(primaryFailureRate, random, Clock.systemUTC());
	}

	/**
	 * Start listening on 127.0.0.1 on a free port.
	 * @return this simulator
	 */
	public synchronized ProviderSimulator start() {
		if (this.server != null) {
			return this;
		}
		// Without TCP_NODELAY, Nagle's algorithm meets the client's delayed ACKs and adds about
		// 40 ms to many exchanges on loopback. The JDK reads this property once per JVM.
		if (System.getProperty(NO_DELAY) == null) {
			System.setProperty(NO_DELAY, "true");
		}
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the provider simulator", ex);
		}
		this.executor = Executors.newFixedThreadPool(4, daemonThreads());
		this.server.setExecutor(this.executor);
		this.server.createContext(PATH, this::handle);
		this.server.createContext(SimulatedMessages.PATH, this::handle);
		// The dispatcher thread is created by start() and inherits the daemon flag of the thread
		// that calls it: started from a daemon thread, a simulator never keeps the JVM alive.
		Thread starter = new Thread(this.server::start, "provider-simulator-start");
		starter.setDaemon(true);
		starter.start();
		try {
			starter.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while starting the provider simulator", ex);
		}
		return this;
	}

	/**
	 * The base URL to configure, version path included, e.g. {@code http://127.0.0.1:PORT/v1}.
	 * @return the base URL
	 */
	public synchronized String baseUrl() {
		if (this.server == null) {
			throw new IllegalStateException("The provider simulator is not started");
		}
		return anthropicBaseUrl() + "/v1";
	}

	/**
	 * The base URL of the simulated Anthropic Messages API, as Anthropic's SDK wants it (no
	 * version path), e.g. {@code http://127.0.0.1:PORT}.
	 * @return the base URL
	 */
	public synchronized String anthropicBaseUrl() {
		if (this.server == null) {
			throw new IllegalStateException("The provider simulator is not started");
		}
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * Stop listening; calling it again does nothing.
	 */
	@Override
	public synchronized void close() {
		if (this.server != null) {
			this.server.stop(0);
			this.executor.shutdownNow();
			this.server = null;
		}
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			SimulatedReply reply;
			try {
				reply = reply(exchange);
			}
			catch (RuntimeException ex) {
				reply = SimulatedCompletions.error(500, "The simulator failed: " + ex.getClass().getSimpleName(),
						"server_error", null);
			}
			if (reply.streaming()) {
				stream(exchange, reply);
				return;
			}
			byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			reply.headers().forEach(exchange.getResponseHeaders()::set);
			exchange.sendResponseHeaders(reply.status(), body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	/** Server-sent events, one every few milliseconds, so that a streaming client sees tokens arrive. */
	private static void stream(HttpExchange exchange, SimulatedReply reply) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
		exchange.sendResponseHeaders(200, 0);
		try (OutputStream out = exchange.getResponseBody()) {
			for (String event : reply.events()) {
				// OpenAI's events are data only; Anthropic's name themselves ("event: ...").
				String block = event.startsWith("event: ") ? event : "data: " + event;
				out.write((block + "\n\n").getBytes(StandardCharsets.UTF_8));
				out.flush();
				Thread.sleep(STREAM_GAP_MILLIS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private SimulatedReply reply(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		if (!PATH.equals(path) && !SimulatedMessages.PATH.equals(path)) {
			return SimulatedCompletions.error(404, "Unknown path.", "invalid_request_error", "unknown_url");
		}
		if (!"POST".equals(exchange.getRequestMethod())) {
			return SimulatedCompletions.error(405, "Only POST is supported.", "invalid_request_error",
					"method_not_supported");
		}
		byte[] body;
		try (InputStream in = exchange.getRequestBody()) {
			body = in.readNBytes(MAX_BODY_BYTES + 1);
		}
		if (body.length > MAX_BODY_BYTES) {
			return SimulatedCompletions.error(413, "The request body is too large.", "invalid_request_error",
					"request_too_large");
		}
		if (SimulatedMessages.PATH.equals(path)) {
			return this.messages.reply(exchange.getRequestHeaders().getFirst("x-api-key"),
					new String(body, StandardCharsets.UTF_8));
		}
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		return this.completions.reply(authorization, new String(body, StandardCharsets.UTF_8));
	}

	private static ThreadFactory daemonThreads() {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, "provider-simulator-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}

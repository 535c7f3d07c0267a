package io.github.aifallback.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small OpenAI-compatible stub on 127.0.0.1: {@code POST /v1/chat/completions} answers a
 * valid {@code chat.completion}, with a per-model behaviour (latency, share of HTTP 500,
 * or hanging) and per-model request counters.
 */
final class StubServer implements AutoCloseable {

	/**
	 * What the stub does for one model id. With a {@code faultRandom} (seeded), one draw per
	 * request decides in arrival order: below {@code hangShare} it hangs, below
	 * {@code hangShare + failureShare} it fails; without one, {@code failureShare} is drawn
	 * from a thread-local random and {@code hang} hangs every request.
	 */
	record Behaviour(long latencyMillis, double failureShare, boolean hang, double slowShare, long slowMillis,
			java.util.Random slowRandom, int failureStatus, String retryAfter, double hangShare,
			java.util.Random faultRandom) {

		static final Behaviour HEALTHY = latency(0);

		static Behaviour latency(long millis) {
			return new Behaviour(millis, 0, false, 0, 0, null, 500, null, 0, null);
		}

		static Behaviour failing(double share) {
			return new Behaviour(0, share, false, 0, 0, null, 500, null, 0, null);
		}

		static Behaviour hanging() {
			return new Behaviour(0, 0, true, 0, 0, null, 500, null, 0, null);
		}

		/**
		 * Usually {@code millis}, but {@code slowMillis} on a {@code share} of requests chosen by
		 * a random of this seed (the same requests are slow in every run with the same seed).
		 */
		static Behaviour sometimesSlow(long millis, double share, long slowMillis, long seed) {
			return new Behaviour(millis, 0, false, share, slowMillis, new java.util.Random(seed), 500, null, 0, null);
		}

		/**
		 * Overloaded the way issue 19 describes it: {@code failureShare} of the requests
		 * answer {@code status} with {@code Retry-After: retryAfter} at once, {@code hangShare}
		 * hang, the rest answer at once; drawn from a random of this seed.
		 */
		static Behaviour overloaded(double failureShare, int status, String retryAfter, double hangShare, long seed) {
			return new Behaviour(0, failureShare, false, 0, 0, null, status, retryAfter, hangShare,
					new java.util.Random(seed));
		}

		long nextLatency() {
			if (this.slowRandom == null) {
				return this.latencyMillis;
			}
			double draw;
			synchronized (this.slowRandom) {
				draw = this.slowRandom.nextDouble();
			}
			return (draw < this.slowShare) ? this.slowMillis : this.latencyMillis;
		}

		/** The request's fault draw in [0, 1), or -1 without a seeded fault random. */
		double nextFault() {
			if (this.faultRandom == null) {
				return -1;
			}
			synchronized (this.faultRandom) {
				return this.faultRandom.nextDouble();
			}
		}

		boolean hangs(double draw) {
			return this.hang || (draw >= 0 && draw < this.hangShare);
		}

		boolean fails(double draw) {
			if (draw >= 0) {
				return draw < this.hangShare + this.failureShare;
			}
			return this.failureShare > 0 && ThreadLocalRandom.current().nextDouble() < this.failureShare;
		}

	}

	private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");

	/** Chunks of a streamed answer after the first: each one written and flushed on its own. */
	private static final int STREAM_CHUNKS = 5;

	private static final byte[] ERROR = "{\"error\":{\"message\":\"stub failure\",\"type\":\"server_error\",\"code\":null}}"
		.getBytes(StandardCharsets.UTF_8);

	private final HttpServer server;

	private final ExecutorService executor;

	private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor((r) -> {
		Thread thread = new Thread(r, "stub-closer");
		thread.setDaemon(true);
		return thread;
	});

	private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();

	private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();

	/** Client ports seen: a new one is a new connection (approximately: ports are reused much later). */
	private final Map<InetSocketAddress, Boolean> clients = new ConcurrentHashMap<>();

	StubServer(int threads) throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
		this.executor = Executors.newFixedThreadPool(threads, (r) -> {
			Thread thread = new Thread(r, "stub-http");
			thread.setDaemon(true);
			return thread;
		});
		this.server.setExecutor(this.executor);
		this.server.createContext("/v1/chat/completions", this::handle);
		this.server.start();
	}

	/** The base URL, version path included, as Spring AI 2.0 and openai-java want it. */
	String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1";
	}

	void behave(String model, Behaviour behaviour) {
		this.behaviours.put(model, behaviour);
	}

	long requests(String model) {
		AtomicLong count = this.requests.get(model);
		return (count != null) ? count.get() : 0;
	}

	/** Connections the stub has seen so far (distinct client addresses). */
	long connections() {
		return this.clients.size();
	}

	void resetCounters() {
		this.requests.values().forEach((count) -> count.set(0));
	}

	private void handle(HttpExchange exchange) throws IOException {
		String model;
		boolean streaming;
		this.clients.putIfAbsent(exchange.getRemoteAddress(), Boolean.TRUE);
		try (InputStream in = exchange.getRequestBody()) {
			String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			Matcher matcher = MODEL.matcher(body);
			model = matcher.find() ? matcher.group(1) : "unknown";
			streaming = STREAM.matcher(body).find();
		}
		this.requests.computeIfAbsent(model, (m) -> new AtomicLong()).incrementAndGet();
		Behaviour behaviour = this.behaviours.getOrDefault(model, Behaviour.HEALTHY);
		double draw = behaviour.nextFault();
		if (behaviour.hangs(draw)) {
			// Never answer: the client gives up first; free the exchange much later.
			this.closer.schedule(exchange::close, 30, TimeUnit.SECONDS);
			return;
		}
		try {
			long latency = behaviour.nextLatency();
			if (latency > 0) {
				Thread.sleep(latency);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		boolean fail = behaviour.fails(draw);
		if (!fail && streaming) {
			stream(exchange, model);
			return;
		}
		byte[] payload = fail ? ERROR : this.bodies.computeIfAbsent(model, StubServer::completion);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		if (fail && behaviour.retryAfter() != null) {
			exchange.getResponseHeaders().set("Retry-After", behaviour.retryAfter());
		}
		exchange.sendResponseHeaders(fail ? behaviour.failureStatus() : 200, payload.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(payload);
		}
	}

	/**
	 * A streamed answer (server-sent events, chunked): a first chunk with the role and a word
	 * at once (after the behaviour's latency), then {@link #STREAM_CHUNKS} words, a finish
	 * chunk and {@code [DONE]}, each flushed.
	 */
	private static void stream(HttpExchange exchange, String model) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
		exchange.sendResponseHeaders(200, 0);
		String head = "data: {\"id\":\"chatcmpl-stub-" + model + "\",\"object\":\"chat.completion.chunk\","
				+ "\"created\":1767225600,\"model\":\"" + model + "\",\"choices\":[{\"index\":0,";
		try (OutputStream out = exchange.getResponseBody()) {
			out.write((head + "\"delta\":{\"role\":\"assistant\",\"content\":\"A\"},\"finish_reason\":null}]}\n\n")
				.getBytes(StandardCharsets.UTF_8));
			out.flush();
			for (int i = 0; i < STREAM_CHUNKS; i++) {
				out.write((head + "\"delta\":{\"content\":\" word\"},\"finish_reason\":null}]}\n\n")
					.getBytes(StandardCharsets.UTF_8));
				out.flush();
			}
			out.write((head + "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
				.getBytes(StandardCharsets.UTF_8));
		}
	}

	private static byte[] completion(String model) {
		String json = "{\"id\":\"chatcmpl-stub-" + model + "\",\"object\":\"chat.completion\",\"created\":1767225600,"
				+ "\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
				+ "\"content\":\"A short answer from " + model + ", long enough to look like a real reply.\"},"
				+ "\"finish_reason\":\"stop\"}],"
				+ "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":14,\"total_tokens\":26}}";
		return json.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
		this.closer.shutdownNow();
	}

}

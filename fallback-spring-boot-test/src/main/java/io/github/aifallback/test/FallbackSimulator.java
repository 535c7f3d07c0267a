package io.github.aifallback.test;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * A scriptable provider on 127.0.0.1, on a port the system chooses, that speaks OpenAI's Chat
 * Completions API and Anthropic's Messages API, blocking and streaming. Each chain entry has
 * its own path, so that the simulator knows which entry a request is for whatever its model:
 * {@link #openAiBaseUrl(String)} and {@link #anthropicBaseUrl(String)}.
 * <p>
 * With {@link AutoConfigureFallbackSimulator} the entries of the application's chain are
 * pointed at it before the context starts; without Spring, {@link #start()} one and give its
 * base URLs to the entries.
 * <pre>{@code
 * simulator.entry("primary").failNext(3).withStatus(429).retryAfter(Duration.ofSeconds(1));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FallbackSimulator implements AutoCloseable {

	/** The API key the chain's entries are given: the simulator takes any non-empty key. */
	public static final String API_KEY = "simulator-key";

	private final WireMockServer server;

	private final Map<String, EntryScript> scripts = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

	private final Map<String, List<String>> bodies = new ConcurrentHashMap<>();

	private FallbackSimulator() {
		// Asynchronous responses: a hanging or slow answer waits on a scheduler, not on one of
		// the server's threads, and stopping the server ends the wait.
		this.server = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1")
			.dynamicPort()
			.asynchronousResponseEnabled(true)
			.asynchronousResponseThreads(4)
			.extensions(new ScriptedResponses(this)));
	}

	/**
	 * Start a simulator.
	 * @return the started simulator; {@link #close()} it when done
	 */
	public static FallbackSimulator start() {
		FallbackSimulator simulator = new FallbackSimulator();
		simulator.server.start();
		simulator.server.stubFor(WireMock.any(WireMock.urlPathMatching(ScriptedResponses.PATHS))
			.willReturn(WireMock.aResponse().withTransformers(ScriptedResponses.NAME)));
		return simulator;
	}

	/**
	 * The script of one entry, created empty (every call answers) the first time.
	 * @param entry the entry's name
	 * @return its script
	 */
	public EntryScript entry(String entry) {
		return this.scripts.computeIfAbsent(entry, (name) -> new EntryScript(name, this));
	}

	/**
	 * The base URL of an OpenAI-compatible entry, version path included, as Spring AI and
	 * openai-java want it: {@code http://127.0.0.1:PORT/<entry>/v1}.
	 * @param entry the entry's name
	 * @return the base URL
	 */
	public String openAiBaseUrl(String entry) {
		return anthropicBaseUrl(entry) + "/v1";
	}

	/**
	 * The base URL of an Anthropic entry, without version path, as Anthropic's SDK wants it:
	 * {@code http://127.0.0.1:PORT/<entry>}.
	 * @param entry the entry's name
	 * @return the base URL
	 */
	public String anthropicBaseUrl(String entry) {
		return "http://127.0.0.1:" + this.server.port() + "/" + URLEncoder.encode(entry, StandardCharsets.UTF_8);
	}

	/**
	 * The requests an entry received since the last {@link #reset()}.
	 * @param entry the entry's name
	 * @return the count
	 */
	public int requests(String entry) {
		AtomicInteger count = this.requests.get(entry);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * The bodies of the requests an entry received since the last {@link #reset()}, in order.
	 * @param entry the entry's name
	 * @return the JSON bodies
	 */
	public List<String> requestBodies(String entry) {
		List<String> bodies = this.bodies.get(entry);
		return (bodies != null) ? List.copyOf(bodies) : List.of();
	}

	/** Forget every script and every recorded request: every entry answers again. */
	public void reset() {
		this.scripts.clear();
		this.requests.clear();
		this.bodies.clear();
		this.server.resetRequests();
	}

	/** Stop listening; calling it again does nothing. */
	@Override
	public void close() {
		if (this.server.isRunning()) {
			this.server.stop();
		}
	}

	/** Called for each request: count it, and take the entry's next scripted reply. */
	Reply next(String encodedEntry, String body) {
		String entry = URLDecoder.decode(encodedEntry, StandardCharsets.UTF_8);
		this.requests.computeIfAbsent(entry, (name) -> new AtomicInteger()).incrementAndGet();
		this.bodies.computeIfAbsent(entry, (name) -> new CopyOnWriteArrayList<>()).add(body);
		return entry(entry).next();
	}

	@Override
	public String toString() {
		return "FallbackSimulator[" + (this.server.isRunning() ? "http://127.0.0.1:" + this.server.port() : "stopped")
				+ "]";
	}

}

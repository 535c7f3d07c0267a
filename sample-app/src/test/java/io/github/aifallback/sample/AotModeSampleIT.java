package io.github.aifallback.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The packaged sample, its AOT-generated code used ({@code -Dspring.aot.enabled=true}), on
 * its embedded simulated providers: it starts, answers a chat request through the chain (the
 * primary always failing, so the Anthropic-speaking secondary serves), and reports UP. Run by
 * failsafe after {@code spring-boot:process-aot} and the repackaged jar, so by
 * {@code ./mvnw verify}.
 */
class AotModeSampleIT {

	private static final Pattern PORT = Pattern.compile("started on port (\\d+)");

	private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	private final List<String> output = new CopyOnWriteArrayList<>();

	private Process process;

	@AfterEach
	void stop() throws InterruptedException {
		// What the sample printed, in failsafe's report of this class.
		System.out.println(String.join("\n", this.output));
		if (this.process != null) {
			this.process.destroy();
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void whenTheSampleRunsInAotModeThenItAnswersThroughTheChainAndIsUp() throws Exception {
		Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));
		assertThat(jar).as("the repackaged sample (run by failsafe after package)").exists();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		this.process = new ProcessBuilder(java, "-Dspring.aot.enabled=true", "-jar", jar.toString(),
				"--server.port=0", "--sample.simulator.primary-failure-rate=1.0", "--spring.output.ansi.enabled=never")
			.redirectErrorStream(true)
			.start();
		int port = awaitPort();

		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		HttpResponse<String> chat = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/chat"))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"Say hello in AOT mode\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> health = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
					.timeout(Duration.ofSeconds(30))
					.build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(this.output).as("Boot says it runs the AOT-processed application")
			.anyMatch((line) -> line.contains("Starting AOT-processed SampleApplication"));
		assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
		assertThat(chat.body()).contains("\"servedBy\":\"secondary\"")
			.contains("primary attempt 1/")
			.contains("\"degraded\":false")
			.containsPattern("\"answer\":\"[^\"]+\"");
		assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"");
	}

	/** Reads the sample's output until it says its port, or fails with what it printed. */
	private int awaitPort() throws InterruptedException {
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					this.output.add(line);
					lines.add(line);
				}
			}
			catch (IOException ex) {
				// The process ended: what it printed is in the output.
			}
			lines.add("");
		}, "aot-sample-output");
		reader.setDaemon(true);
		reader.start();
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			if (line == null) {
				break;
			}
			Matcher port = PORT.matcher(line);
			if (port.find()) {
				return Integer.parseInt(port.group(1));
			}
			if (!this.process.isAlive() && lines.isEmpty()) {
				break;
			}
		}
		return fail("The AOT-mode sample did not say its port within " + START_TIMEOUT + ":\n"
				+ String.join("\n", this.output));
	}

}

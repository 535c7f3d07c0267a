package io.github.aifallback.autoconfigure;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away redis-server of its own for one test class, on 127.0.0.1 and a free port,
 * with persistence off. Where no redis-server binary exists the test is skipped with a
 * message, except under CI, whose .ci/run installs one: there it fails.
 */
final class LocalRedis implements AutoCloseable {

	private final Process process;

	private final int port;

	private LocalRedis(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	static LocalRedis start() throws IOException, InterruptedException {
		String binary = findBinary();
		if (binary == null) {
			String message = "No redis-server binary found (apt-get install -y redis-server): skipping the "
					+ "multi-instance cache test";
			if (System.getenv("CI") != null) {
				throw new IllegalStateException(message + " is not allowed under CI");
			}
			Assumptions.abort(message);
		}
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			port = socket.getLocalPort();
		}
		Process process = new ProcessBuilder(binary, "--bind", "127.0.0.1", "--port", String.valueOf(port), "--save",
				"", "--appendonly", "no", "--protected-mode", "yes")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		LocalRedis redis = new LocalRedis(process, port);
		redis.awaitListening();
		return redis;
	}

	int port() {
		return this.port;
	}

	private void awaitListening() throws InterruptedException {
		Instant giveUp = Instant.now().plus(Duration.ofSeconds(10));
		while (Instant.now().isBefore(giveUp)) {
			try (Socket socket = new Socket("127.0.0.1", this.port)) {
				return;
			}
			catch (IOException notYet) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("redis-server exited with " + this.process.exitValue());
				}
				Thread.sleep(20);
			}
		}
		throw new IllegalStateException("redis-server did not listen on port " + this.port + " within 10 s");
	}

	private static String findBinary() {
		for (String candidate : new String[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server",
				"/usr/sbin/redis-server" }) {
			if (new File(candidate).canExecute()) {
				return candidate;
			}
		}
		return null;
	}

	@Override
	public void close() {
		resume();
		this.process.destroy();
	}

	/** SIGKILL: the server dies without closing anything. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly().waitFor();
	}

	/** SIGSTOP: the server keeps its sockets and accepts connections, but never answers. */
	void hang() throws IOException, InterruptedException {
		signal("-STOP");
	}

	private void resume() {
		try {
			if (this.process.isAlive()) {
				signal("-CONT");
			}
		}
		catch (IOException | InterruptedException ex) {
			// Killing it follows.
		}
	}

	private void signal(String signal) throws IOException, InterruptedException {
		new ProcessBuilder("kill", signal, Long.toString(this.process.pid())).start().waitFor();
	}

}

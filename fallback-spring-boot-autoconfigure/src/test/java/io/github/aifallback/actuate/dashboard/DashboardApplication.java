package io.github.aifallback.actuate.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.ResilientChatClient;

import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;

/**
 * A whole servlet application on 127.0.0.1 with the dashboard on, whose chain is two
 * OpenAI-compatible providers in WireMock ({@code primary}: model-a, {@code secondary}:
 * model-b), one attempt per entry and a circuit that opens after two failures.
 */
final class DashboardApplication implements AutoCloseable {

	static final String KEY = "canary-key-5e1f0d27b4";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final ConfigurableApplicationContext context;

	private final int port;

	private DashboardApplication(ConfigurableApplicationContext context) {
		this.context = context;
		this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	/**
	 * Start the application.
	 * @param access the aifallback endpoint's access ({@code unrestricted},
	 * {@code read-only}), or empty to say nothing
	 */
	static DashboardApplication start(WireMockExtension first, WireMockExtension second, String access,
			String... more) {
		first.stubFor(completion("model-a").willReturn(answer("model-a", "from A")));
		second.stubFor(completion("model-b").willReturn(answer("model-b", "from B")));
		List<String> args = new ArrayList<>(List.of("--server.address=127.0.0.1", "--server.port=0",
				"--management.endpoints.web.exposure.include=health,aifallback",
				"--management.health.redis.enabled=false", "--ai.fallback.dashboard.enabled=true",
				"--ai.fallback.dashboard.refresh-interval=200ms", "--spring.ai.openai.api-key=" + KEY,
				"--ai.fallback.chain[0].name=primary", "--ai.fallback.chain[0].model=model-a",
				"--ai.fallback.chain[0].base-url=" + baseUrl(first), "--ai.fallback.chain[0].api-key=" + KEY,
				"--ai.fallback.chain[1].name=secondary", "--ai.fallback.chain[1].model=model-b",
				"--ai.fallback.chain[1].base-url=" + baseUrl(second), "--ai.fallback.chain[1].api-key=" + KEY,
				"--ai.fallback.retry.max-attempts=1", "--ai.fallback.circuit-breaker.failure-threshold=2",
				"--ai.fallback.circuit-breaker.open-duration=5m"));
		if (!access.isEmpty()) {
			args.add("--management.endpoint.aifallback.access=" + access);
		}
		for (String arg : more) {
			// An argument given twice would bind as a list ("true,false"): the later one replaces.
			String key = arg.substring(0, arg.indexOf('=') + 1);
			args.removeIf((existing) -> existing.startsWith(key));
			args.add(arg);
		}
		return new DashboardApplication(new SpringApplicationBuilder(App.class).web(WebApplicationType.SERVLET)
			.run(args.toArray(String[]::new)));
	}

	ResilientChatClient client() {
		return this.context.getBean(ResilientChatClient.class);
	}

	String servedBy() {
		return client().call(new Prompt("hello")).getMetadata().get(FallbackMetadata.SERVED_BY);
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> post(String path, String body, Map<String, String> headers)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(request::header);
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Override
	public void close() {
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}

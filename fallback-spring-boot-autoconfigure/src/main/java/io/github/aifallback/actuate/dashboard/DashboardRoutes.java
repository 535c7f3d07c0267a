package io.github.aifallback.actuate.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.aifallback.chat.fleet.FleetLink;
import io.github.aifallback.autoconfigure.InvalidFallbackConfigurationException;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.StreamUtils;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * Serves the dashboard: the page and its own CSS and JavaScript from the jar (nothing from a
 * CDN), its figures as JSON ({@code GET <path>/state}), and the circuit changes an operator
 * asks for ({@code POST <path>/circuit}, {@code {"entry": "...", "state": "open"|"closed"}}).
 * A change needs write access to the {@code aifallback} endpoint, a JSON body and the
 * {@value #TOKEN_HEADER} header carrying the token written into the page, which another
 * site's page can neither read nor send without a CORS pre-flight the application refuses.
 */
final class DashboardRoutes {

	static final String TOKEN_HEADER = "X-AI-Fallback-Token";

	private static final Logger logger = LoggerFactory.getLogger(DashboardRoutes.class);

	private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

	static final String RESOURCES = "io/github/aifallback/actuate/dashboard/";

	// No inline script or style, no framing: the page loads only its own files.
	private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

	private final ResilientChatClient client;

	private final DashboardStats stats;

	private final boolean writable;

	private final String path;

	private final Duration refreshInterval;

	private final String token;

	private final String page;

	private final String css;

	private final String script;

	private final FleetLink fleet;

	DashboardRoutes(ResilientChatClient client, DashboardStats stats, boolean writable, String path,
			Duration refreshInterval) {
		this(client, stats, writable, path, refreshInterval, null);
	}

	/**
	 * @param fleet the link to the fleet, or {@code null} without a fleet
	 */
	DashboardRoutes(ResilientChatClient client, DashboardStats stats, boolean writable, String path,
			Duration refreshInterval, FleetLink fleet) {
		this.fleet = fleet;
		if (path == null || !SAFE_PATH.matcher(path).matches()) {
			throw new InvalidFallbackConfigurationException("ai.fallback.dashboard.path",
					"it must start with '/', not end with '/', and use only letters, digits and . _ ~ -",
					"Set ai.fallback.dashboard.path to a path such as /ai-fallback.");
		}
		if (refreshInterval == null || refreshInterval.compareTo(Duration.ofMillis(100)) < 0) {
			throw new InvalidFallbackConfigurationException("ai.fallback.dashboard.refresh-interval",
					"it must be at least 100ms", "Set ai.fallback.dashboard.refresh-interval to a duration such as 2s.");
		}
		this.client = client;
		this.stats = stats;
		this.writable = writable;
		this.path = path;
		this.refreshInterval = refreshInterval;
		byte[] random = new byte[24];
		new SecureRandom().nextBytes(random);
		this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		this.page = resource("dashboard.html");
		this.css = resource("dashboard.css");
		this.script = resource("dashboard.js");
	}

	RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.GET(this.path, this::page)
			.GET(this.path + "/dashboard.css", (request) -> asset(this.css, "text/css"))
			.GET(this.path + "/dashboard.js", (request) -> asset(this.script, "text/javascript"))
			.GET(this.path + "/state", (request) -> secured(ServerResponse.ok()).contentType(MediaType.APPLICATION_JSON)
				.body(this.stats.state(this.client, this.writable, this.fleet)))
			.POST(this.path + "/circuit", this::change)
			.build();
	}

	private ServerResponse page(ServerRequest request) {
		String base = HtmlUtils.htmlEscape(request.servletRequest().getContextPath() + this.path);
		String html = this.page.replace("{{base}}", base)
			.replace("{{token}}", this.token)
			.replace("{{refresh}}", String.valueOf(this.refreshInterval.toMillis()));
		return secured(ServerResponse.ok()).contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.body(html);
	}

	private ServerResponse asset(String body, String type) {
		return secured(ServerResponse.ok()).contentType(new MediaType(MediaType.valueOf(type), StandardCharsets.UTF_8))
			.body(body);
	}

	private ServerResponse change(ServerRequest request) throws Exception {
		if (!this.writable) {
			return error(HttpStatus.FORBIDDEN, "The dashboard is read-only: write access to the aifallback endpoint "
					+ "is not granted (management.endpoint.aifallback.access=unrestricted)");
		}
		String sent = request.headers().firstHeader(TOKEN_HEADER);
		if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
				this.token.getBytes(StandardCharsets.UTF_8))) {
			return error(HttpStatus.FORBIDDEN, "Missing or wrong " + TOKEN_HEADER + " header: reload the page");
		}
		MediaType type = request.headers().contentType().orElse(null);
		if (type == null || !MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
			return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Send a JSON body: {\"entry\": \"...\", \"state\": \"open\"}");
		}
		Map<String, Object> body;
		try {
			body = request.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		}
		catch (RuntimeException ex) {
			return error(HttpStatus.BAD_REQUEST, "Send a JSON body: {\"entry\": \"...\", \"state\": \"open\"}");
		}
		Object entry = (body != null) ? body.get("entry") : null;
		Object state = (body != null) ? body.get("state") : null;
		ChainEntry chainEntry = this.client.getEntries()
			.stream()
			.filter((candidate) -> candidate.name().equals(entry))
			.findFirst()
			.orElse(null);
		if (chainEntry == null) {
			return error(HttpStatus.BAD_REQUEST, "Unknown chain entry");
		}
		CircuitBreaker breaker = this.client.circuitBreaker(chainEntry.name());
		String wanted = (state instanceof String text) ? text.trim().toLowerCase(Locale.ROOT) : "";
		switch (wanted) {
			case "open" -> breaker.forceOpen();
			case "closed" -> breaker.reset();
			default -> {
				return error(HttpStatus.BAD_REQUEST, "Unknown state; use \"open\" or \"closed\"");
			}
		}
		logger.warn("AI fallback: an operator set the circuit of '{}' to {} through the dashboard", chainEntry.name(),
				breaker.state());
		return secured(ServerResponse.ok()).contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("entry", chainEntry.name(), "circuitState", breaker.state().name()));
	}

	private static ServerResponse error(HttpStatus status, String message) {
		return secured(ServerResponse.status(status)).contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("error", message));
	}

	private static ServerResponse.BodyBuilder secured(ServerResponse.BodyBuilder builder) {
		return builder.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
			.header("X-Content-Type-Options", "nosniff")
			.header("X-Frame-Options", "DENY")
			.header("Referrer-Policy", "no-referrer")
			.header("Cache-Control", "no-store");
	}

	private static String resource(String name) {
		try {
			return StreamUtils.copyToString(new ClassPathResource(RESOURCES + name, DashboardRoutes.class.getClassLoader())
				.getInputStream(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The dashboard's " + name + " is missing from the jar", ex);
		}
	}

}

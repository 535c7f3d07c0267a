package io.github.aifallback.actuate.dashboard;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.circuit.CircuitState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard over real HTTP in a whole servlet application: its page and assets, its
 * JSON (never a key, a URL or a prompt), and who may change a circuit through it.
 */
@ExtendWith(OutputCaptureExtension.class)
class FallbackDashboardHttpTests {

	private static final JsonMapper JSON = JsonMapper.shared();

	private static final Pattern TOKEN = Pattern.compile("<meta name=\"ai-fallback-token\" content=\"([^\"]+)\">");

	@RegisterExtension
	static WireMockExtension first = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension second = OpenAiStubs.provider();

	private DashboardApplication app;

	@AfterEach
	void stop() {
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void whenEnabledThenThePageAndItsAssetsComeFromTheApplicationWithNothingExternal() throws Exception {
		this.app = DashboardApplication.start(first, second, "unrestricted");

		HttpResponse<String> page = this.app.get("/ai-fallback");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/html"));
		assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
				(csp) -> assertThat(csp).contains("default-src 'none'").contains("frame-ancestors 'none'"));
		assertThat(page.body()).contains("<link rel=\"stylesheet\" href=\"/ai-fallback/dashboard.css\">")
			.contains("<script src=\"/ai-fallback/dashboard.js\" defer></script>")
			.doesNotContain("http:")
			.doesNotContain("https:")
			.doesNotContain("{{");
		assertThat(this.app.get("/ai-fallback/dashboard.css").headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/css"));
		HttpResponse<String> script = this.app.get("/ai-fallback/dashboard.js");
		assertThat(script.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/javascript"));
		assertThat(script.body()).doesNotContain(".innerHTML").doesNotContain("http:").doesNotContain("https:");
	}

	@Test
	void whenThePrimaryFailsThenTheStateShowsItsOpenCircuitAndNeverAKeyAUrlOrAPrompt() throws Exception {
		this.app = DashboardApplication.start(first, second, "unrestricted");
		first.stubFor(completion("model-a").willReturn(serverError()));
		for (int i = 0; i < 3; i++) {
			assertThat(this.app.servedBy()).isEqualTo("secondary");
		}
		first.verify(2, requestsFor("model-a"));

		HttpResponse<String> response = this.app.get("/ai-fallback/state");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(response.body()).doesNotContain(DashboardApplication.KEY)
			.doesNotContain("127.0.0.1")
			.doesNotContain("hello");
		JsonNode state = JSON.readTree(response.body());
		assertThat(state.path("writable").asBoolean()).isTrue();
		assertThat(state.path("calls").path("served").asInt()).isEqualTo(3);
		JsonNode primary = state.path("entries").path(0);
		assertThat(primary.path("name").asString()).isEqualTo("primary");
		assertThat(primary.path("model").asString()).isEqualTo("model-a");
		assertThat(primary.path("circuitState").asString()).isEqualTo("OPEN");
		assertThat(primary.path("failures").asInt()).isEqualTo(2);
		assertThat(primary.path("failuresByKind").path("SERVER_ERROR").asInt()).isEqualTo(2);
		assertThat(state.path("entries").path(1).path("successes").asInt()).isEqualTo(3);
		assertThat(state.path("recentFailures").path(0).path("status").asInt()).isEqualTo(500);
	}

	@Test
	void whenWriteAccessIsGrantedThenAJsonPostWithThePagesTokenChangesTheCircuitAndIsLogged(CapturedOutput output)
			throws Exception {
		this.app = DashboardApplication.start(first, second, "unrestricted");
		String token = token();

		HttpResponse<String> opened = change(token, "{\"entry\":\"primary\",\"state\":\"open\"}");
		assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
		assertThat(JSON.readTree(opened.body()).path("circuitState").asString()).isEqualTo("FORCED_OPEN");
		assertThat(this.app.client().circuitBreaker("primary").state()).isEqualTo(CircuitState.FORCED_OPEN);
		assertThat(this.app.servedBy()).isEqualTo("secondary");
		first.verify(0, requestsFor("model-a"));
		assertThat(output).contains(
				"AI fallback: an operator set the circuit of 'primary' to FORCED_OPEN through the dashboard");

		assertThat(change(token, "{\"entry\":\"primary\",\"state\":\"closed\"}").statusCode()).isEqualTo(200);
		assertThat(this.app.client().circuitBreaker("primary").state()).isEqualTo(CircuitState.CLOSED);
		assertThat(this.app.servedBy()).isEqualTo("primary");
	}

	@Test
	void whenAPostLacksThePagesTokenOrAJsonBodyOrNamesNothingKnownThenItIsRefusedAndChangesNothing()
			throws Exception {
		this.app = DashboardApplication.start(first, second, "unrestricted");
		String token = token();
		String open = "{\"entry\":\"primary\",\"state\":\"open\"}";

		assertThat(this.app.post("/ai-fallback/circuit", open, Map.of("Content-Type", "application/json"))
			.statusCode()).isEqualTo(403);
		assertThat(change("not-the-token", open).statusCode()).isEqualTo(403);
		assertThat(this.app.post("/ai-fallback/circuit", "entry=primary&state=open",
				Map.of("Content-Type", "application/x-www-form-urlencoded", DashboardRoutes.TOKEN_HEADER, token))
			.statusCode()).isEqualTo(415);
		assertThat(this.app.post("/ai-fallback/circuit", open,
				Map.of("Content-Type", "text/plain", DashboardRoutes.TOKEN_HEADER, token)).statusCode())
			.isEqualTo(415);
		assertThat(change(token, "{not json").statusCode()).isEqualTo(400);
		HttpResponse<String> unknown = change(token, "{\"entry\":\"<script>\",\"state\":\"open\"}");
		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(unknown.body()).doesNotContain("<script>");
		assertThat(change(token, "{\"entry\":\"primary\",\"state\":\"sideways\"}").statusCode()).isEqualTo(400);
		assertThat(change(token, "{\"entry\":\"primary\"}").statusCode()).isEqualTo(400);
		assertThat(this.app.client().circuitBreaker("primary").state()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void whenTheEndpointsWriteAccessIsNotGrantedThenTheDashboardIsReadOnly() throws Exception {
		this.app = DashboardApplication.start(first, second, "read-only");

		assertReadOnly();
	}

	@Test
	void whenTheApplicationSaysNothingAboutAccessThenTheDashboardIsReadOnly() throws Exception {
		this.app = DashboardApplication.start(first, second, "");

		assertReadOnly();
	}

	@Test
	void whenActuatorCapsEveryEndpointToReadOnlyThenTheDashboardIsReadOnlyToo() throws Exception {
		this.app = DashboardApplication.start(first, second, "unrestricted",
				"--management.endpoints.access.max-permitted=read-only");

		assertReadOnly();
	}

	@Test
	void whenAContextPathAndAPathAreSetThenThePageAndItsLinksUseBoth() throws Exception {
		this.app = DashboardApplication.start(first, second, "unrestricted", "--server.servlet.context-path=/app",
				"--ai.fallback.dashboard.path=/ops/chain");

		HttpResponse<String> page = this.app.get("/app/ops/chain");

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("<meta name=\"ai-fallback-base\" content=\"/app/ops/chain\">")
			.contains("href=\"/app/ops/chain/dashboard.css\"");
		assertThat(this.app.get("/app/ops/chain/state").statusCode()).isEqualTo(200);
		assertThat(this.app.get("/app/ai-fallback").statusCode()).isEqualTo(404);
	}

	@Test
	void whenTheDashboardIsNotEnabledThenThereIsNoPage() throws Exception {
		this.app = DashboardApplication.start(first, second, "unrestricted", "--ai.fallback.dashboard.enabled=false");

		assertThat(this.app.get("/ai-fallback").statusCode()).isEqualTo(404);
		assertThat(this.app.get("/ai-fallback/state").statusCode()).isEqualTo(404);
	}

	private void assertReadOnly() throws Exception {
		String token = token();
		assertThat(JSON.readTree(this.app.get("/ai-fallback/state").body()).path("writable").asBoolean()).isFalse();
		HttpResponse<String> refused = change(token, "{\"entry\":\"primary\",\"state\":\"open\"}");
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(JSON.readTree(refused.body()).path("error").asString()).contains("read-only");
		assertThat(this.app.client().circuitBreaker("primary").state()).isEqualTo(CircuitState.CLOSED);
	}

	private String token() throws Exception {
		Matcher matcher = TOKEN.matcher(this.app.get("/ai-fallback").body());
		assertThat(matcher.find()).isTrue();
		return matcher.group(1);
	}

	private HttpResponse<String> change(String token, String body) throws Exception {
		return this.app.post("/ai-fallback/circuit", body,
				Map.of("Content-Type", "application/json", DashboardRoutes.TOKEN_HEADER, token));
	}

}

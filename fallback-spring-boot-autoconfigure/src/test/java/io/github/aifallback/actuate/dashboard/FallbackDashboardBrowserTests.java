package io.github.aifallback.actuate.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.AllModelsFailedException;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.circuit.CircuitState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The dashboard in a real headless Chromium, against a whole application whose providers
 * are WireMock stubs: it lists the chain, shows a circuit opening after injected failures,
 * and its buttons take an entry out of rotation and back. The screenshot it takes is the
 * README's ({@code target/dashboard.png}; copied by hand to {@code docs/images/}).
 */
class FallbackDashboardBrowserTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@RegisterExtension
	static WireMockExtension first = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension second = OpenAiStubs.provider();

	private DashboardApplication app;

	private ChromeDriver browser;

	@AfterEach
	void stop() {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void whenTheChainFailsThenThePageShowsTheCircuitOpenAndItsButtonsChangeEntries() throws Exception {
		this.browser = HeadlessChromium.start();
		this.app = DashboardApplication.start(first, second, "unrestricted");
		this.browser.get(this.app.url("/ai-fallback"));

		// The table is redrawn on every refresh: read the rows' names in one step, retried.
		await((driver) -> rows(driver).stream()
			.map((row) -> row.getAttribute("data-entry"))
			.toList()
			.equals(List.of("primary", "secondary")));
		assertThat(state("primary")).isEqualTo("CLOSED");
		assertThat(this.browser.findElement(By.id("mode")).getText()).isEqualTo("write access");

		for (int i = 0; i < 4; i++) {
			this.app.servedBy();
		}
		first.stubFor(completion("model-a").willReturn(serverError()));
		for (int i = 0; i < 3; i++) {
			assertThat(this.app.servedBy()).isEqualTo("secondary");
		}
		first.verify(6, requestsFor("model-a"));
		await((driver) -> "OPEN".equals(state("primary")));
		await((driver) -> "7".equals(driver.findElement(By.id("calls-served")).getText()));
		await((driver) -> !driver.findElements(By.cssSelector("#failures tbody td")).isEmpty()
				&& driver.findElement(By.cssSelector("#failures tbody tr td:nth-child(3)")).getText()
					.equals("SERVER_ERROR"));
		assertThat(this.browser.getPageSource()).doesNotContain(DashboardApplication.KEY).doesNotContain("hello");

		click("secondary", "open");
		await((driver) -> "FORCED_OPEN".equals(state("secondary")));
		assertThat(this.app.client().circuitBreaker("secondary").state()).isEqualTo(CircuitState.FORCED_OPEN);
		assertThat(this.app.servedBy()).isEqualTo(FallbackMetadata.CACHE);
		second.verify(3, requestsFor("model-b"));

		click("secondary", "closed");
		await((driver) -> "CLOSED".equals(state("secondary")));
		assertThat(this.app.client().circuitBreaker("secondary").state()).isEqualTo(CircuitState.CLOSED);
		assertThat(this.app.servedBy()).isEqualTo("secondary");
		await((driver) -> "8".equals(driver.findElement(By.id("calls-served")).getText())
				&& "1".equals(driver.findElement(By.id("calls-degraded")).getText()));
		await((driver) -> "1 last good, 0 fixed message"
			.equals(driver.findElement(By.id("calls-degraded-detail")).getText()));
		screenshot();
	}

	@Test
	void whenWriteAccessIsNotGrantedThenThePageHasNoButtonsAndAPostIsRefused() throws Exception {
		this.browser = HeadlessChromium.start();
		this.app = DashboardApplication.start(first, second, "read-only");
		this.browser.get(this.app.url("/ai-fallback"));

		await((driver) -> rows(driver).size() == 2);
		assertThat(this.browser.findElements(By.tagName("button"))).isEmpty();
		assertThat(this.browser.findElement(By.id("mode")).getText()).isEqualTo("read-only");
		assertThat(this.browser.findElement(By.cssSelector("th.actions")).isDisplayed()).isFalse();

		// The page's own token and origin: refused all the same.
		Object status = ((JavascriptExecutor) this.browser).executeAsyncScript("""
				var done = arguments[arguments.length - 1];
				var token = document.querySelector('meta[name="ai-fallback-token"]').content;
				fetch('/ai-fallback/circuit', { method: 'POST', headers: { 'Content-Type': 'application/json',
					'X-AI-Fallback-Token': token }, body: JSON.stringify({ entry: 'primary', state: 'open' }) })
					.then(function (response) { done(response.status); });
				""");
		assertThat(status).isEqualTo(403L);
		assertThat(this.app.client().circuitBreaker("primary").state()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void whenAnEntryNameLooksLikeMarkupThenThePageShowsItAsText() throws Exception {
		this.browser = HeadlessChromium.start();
		this.app = DashboardApplication.start(first, second, "unrestricted",
				"--ai.fallback.chain[1].name=<img src=x onerror=alert(1)>");
		this.browser.get(this.app.url("/ai-fallback"));

		// The table is redrawn on every refresh: wait on what the page shows, read in one script
		// (atomic in the page), never on an element that the next refresh replaces.
		await((driver) -> List.of("primary", "<img src=x onerror=alert(1)>")
			.equals(script("return Array.from(document.querySelectorAll('#entries tbody tr[data-entry] .name'))"
					+ ".map(function (name) { return name.textContent; });")));
		assertThat(script("return document.querySelectorAll('#entries img').length;")).isEqualTo(0L);
	}

	@Test
	void whenEveryEntryFailsThenTheBannerSaysTheChainIsDownAndTheFailedCallSaysWhyInTheViewersTimeZone()
			throws Exception {
		this.browser = HeadlessChromium.start();
		this.browser.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "Asia/Tokyo"));
		this.app = DashboardApplication.start(first, second, "read-only");
		this.browser.get(this.app.url("/ai-fallback"));
		await((driver) -> "ok".equals(script("return document.getElementById('status').getAttribute('data-level');")));
		assertThat(text("#calls tbody td.empty")).isEqualTo("Every call since the application started was served fresh");
		assertThat(text("#changes tbody td.empty"))
			.isEqualTo("No circuit has changed state since the application started");
		assertThat(text(".window")).isEqualTo("(last 15 minutes)");

		first.stubFor(completion("model-a").willReturn(serverError()));
		second.stubFor(completion("model-b").willReturn(serverError()));
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(AllModelsFailedException.class).isThrownBy(this.app::servedBy);
		}

		// Both circuits open on inferred evidence: the whole chain is down, or in panic mode when
		// the chain still sends calls to the entry most likely to answer.
		boolean panic = this.app.client().inPanic();
		await((driver) -> (panic ? "panic" : "down")
			.equals(script("return document.getElementById('status').getAttribute('data-level');")));
		assertThat(text("#status-title")).isEqualTo(panic ? "Panic mode" : "Every entry is out of rotation");
		await((driver) -> Long.valueOf(2).equals(script("return document.querySelectorAll('#calls tbody tr[data-outcome]').length;")));
		@SuppressWarnings("unchecked")
		List<String> call = (List<String>) script("var row = document.querySelector('#calls tbody tr[data-outcome]');"
				+ "return Array.from(row.cells).map(function (c) { return c.textContent; })"
				+ ".concat([row.cells[0].getAttribute('data-utc'), row.cells[0].getAttribute('title')]);");
		assertThat(call.get(1)).isEqualTo("failed");
		assertThat(call.get(4)).isEqualTo("primary: SERVER_ERROR (HTTP 500); secondary: SERVER_ERROR (HTTP 500)");
		Instant utc = Instant.parse(call.get(5));
		// In the browser's locale: 24-hour or 12-hour clock, in Tokyo's time either way.
		ZonedDateTime tokyo = utc.atZone(ZoneId.of("Asia/Tokyo"));
		assertThat(call.get(0)).as("the viewer's zone")
			.isIn(DateTimeFormatter.ofPattern("HH:mm:ss").format(tokyo),
					DateTimeFormatter.ofPattern("h:mm:ss a", Locale.US).format(tokyo));
		assertThat(call.get(6)).as("UTC on hover").endsWith(" UTC")
			.startsWith(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(utc.atZone(ZoneOffset.UTC)));
	}

	private Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) this.browser).executeScript(script, arguments);
	}

	private String text(String selector) {
		return (String) script("var e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
				selector);
	}

	private void click(String entry, String action) {
		// The table is redrawn on every refresh: a button found just before may be gone.
		await((driver) -> {
			try {
				WebElement button = driver.findElement(
						By.cssSelector("button[data-entry='" + entry + "'][data-action='" + action + "']"));
				if (!button.isEnabled()) {
					return false;
				}
				button.click();
				return true;
			}
			catch (StaleElementReferenceException | org.openqa.selenium.NoSuchElementException ex) {
				return false;
			}
		});
	}

	private String state(String entry) {
		return (String) ((JavascriptExecutor) this.browser).executeScript("""
				var rows = document.querySelectorAll('#entries tbody tr[data-entry]');
				for (var i = 0; i < rows.length; i++) {
					if (rows[i].getAttribute('data-entry') === arguments[0]) {
						var badge = rows[i].querySelector('.state');
						return badge ? badge.getAttribute('data-state') : null;
					}
				}
				return null;
				""", entry);
	}

	private static List<WebElement> rows(WebDriver driver) {
		return driver.findElements(By.cssSelector("#entries tbody tr[data-entry]"));
	}

	private void await(java.util.function.Function<WebDriver, Boolean> condition) {
		new WebDriverWait(this.browser, WAIT, Duration.ofMillis(50)).ignoring(StaleElementReferenceException.class)
			.until(condition::apply);
	}

	private void screenshot() throws IOException {
		byte[] png = this.browser.getScreenshotAs(OutputType.BYTES);
		Path file = Path.of("target", "dashboard.png");
		Files.createDirectories(file.getParent());
		Files.write(file, png);
	}

}

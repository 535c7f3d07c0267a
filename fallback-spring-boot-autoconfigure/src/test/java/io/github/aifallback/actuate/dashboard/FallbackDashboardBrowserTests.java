package io.github.aifallback.actuate.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
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

		await((driver) -> rows(driver).size() == 2);
		assertThat(this.browser.findElements(By.cssSelector("#entries img"))).isEmpty();
		assertThat(this.browser.findElements(By.cssSelector("#entries .name")).get(1).getText())
			.isEqualTo("<img src=x onerror=alert(1)>");
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
		try {
			List<WebElement> badges = this.browser
				.findElements(By.cssSelector("#entries tr[data-entry='" + entry + "'] .state"));
			return badges.isEmpty() ? null : badges.get(0).getAttribute("data-state");
		}
		catch (StaleElementReferenceException ex) {
			return null;
		}
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

package io.github.aifallback.actuate.dashboard;

import java.io.File;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium and chromium-driver, headless, driven by Selenium. Both paths are given,
 * so Selenium Manager is never asked to find (or download) anything. Where they are missing
 * the test is skipped with a message, except under CI, whose .ci/run installs them: there it
 * fails.
 */
final class HeadlessChromium {

	static final File BROWSER = new File("/usr/bin/chromium");

	static final File DRIVER = new File("/usr/bin/chromedriver");

	private HeadlessChromium() {
	}

	static ChromeDriver start() {
		if (!BROWSER.canExecute() || !DRIVER.canExecute()) {
			String message = "No " + BROWSER + " or " + DRIVER
					+ " (apt-get install -y chromium chromium-driver): skipping the dashboard's browser test";
			if (System.getenv("CI") != null) {
				throw new IllegalStateException(message + " is not allowed under CI");
			}
			Assumptions.abort(message);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BROWSER);
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--window-size=1400,1000", "--force-device-scale-factor=1", "--lang=en-GB",
				"--no-first-run", "--disable-extensions", "--disable-background-networking");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER)
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
		driver.manage().window().setSize(new Dimension(1400, 1000));
		return driver;
	}

}

package io.github.aifallback.autoconfigure;

import java.time.Duration;

/**
 * The live dashboard: a page of the application that shows the chain's circuits, rates,
 * latency and recent failures, with buttons to take an entry out of rotation when the
 * {@code aifallback} endpoint's write access is granted.
 *
 * @since 0.1.0
 */
public class DashboardProperties {

	/**
	 * Whether the dashboard page is served (Spring MVC applications only).
	 */
	private boolean enabled = false;

	/**
	 * Path of the dashboard page, under the servlet context path; its JSON and assets are
	 * served below it.
	 */
	private String path = "/ai-fallback";

	/**
	 * How often the open page asks for fresh figures.
	 */
	private Duration refreshInterval = Duration.ofSeconds(2);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getPath() {
		return this.path;
	}

	public void setPath(String path) {
		this.path = path;
	}

	public Duration getRefreshInterval() {
		return this.refreshInterval;
	}

	public void setRefreshInterval(Duration refreshInterval) {
		this.refreshInterval = refreshInterval;
	}

}

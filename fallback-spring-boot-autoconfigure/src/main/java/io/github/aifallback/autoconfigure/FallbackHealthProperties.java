package io.github.aifallback.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How chain entries' circuits map to Actuator health statuses.
 * <p>
 * A closed or half-open circuit reports {@code UP}. With the defaults, one entry out of
 * rotation reports {@code UNKNOWN}, which Boot's default status order ranks below {@code UP},
 * so the application stays {@code UP} while the chain still serves; only when no entry can
 * serve does every entry report {@code DOWN}.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("ai.fallback.health")
public class FallbackHealthProperties {

	/**
	 * Health status of an entry whose circuit is open or forced open while another entry
	 * can still serve. A status ranked above UP in
	 * management.endpoint.health.status.order (DOWN, OUT_OF_SERVICE) turns the
	 * application's overall health to that status.
	 */
	private String openStatus = "UNKNOWN";

	/**
	 * Health status of every entry when no entry can serve: every circuit is open or forced
	 * open.
	 */
	private String allOpenStatus = "DOWN";

	public String getOpenStatus() {
		return this.openStatus;
	}

	public void setOpenStatus(String openStatus) {
		this.openStatus = openStatus;
	}

	public String getAllOpenStatus() {
		return this.allOpenStatus;
	}

	public void setAllOpenStatus(String allOpenStatus) {
		this.allOpenStatus = allOpenStatus;
	}

}

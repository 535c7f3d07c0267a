package io.github.aifallback.chat.failure;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Shows a base URL without what may be a secret in it: user info ({@code user:password@})
 * and query values ({@code ?api-key=...}, {@code ?key=...}, {@code ?code=...}; the names
 * stay, so that {@code api-version} is still seen to be set). Used by every
 * {@code toString()} that shows a URL.
 *
 * @since 0.1.0
 */
public final class UrlRedaction {

	static final String HIDDEN = "***";

	private UrlRedaction() {
	}

	/**
	 * The URL without user info, query values nor fragment.
	 * @param url a URL, or {@code null}
	 * @return the URL safe to show, {@code null} for {@code null}, or {@code (invalid URL)}
	 */
	public static String redact(String url) {
		if (url == null) {
			return null;
		}
		try {
			URI uri = new URI(url.strip());
			StringBuilder shown = new StringBuilder();
			if (uri.getScheme() != null) {
				shown.append(uri.getScheme()).append(':');
			}
			if (uri.getRawAuthority() != null) {
				String authority = uri.getRawAuthority();
				shown.append("//").append(authority.substring(authority.lastIndexOf('@') + 1));
			}
			if (uri.getRawPath() != null) {
				shown.append(uri.getRawPath());
			}
			else if (uri.getScheme() != null) {
				// Opaque ("scheme:anything"): nothing of it is known to be safe.
				shown.append(HIDDEN);
			}
			if (uri.getRawQuery() != null) {
				shown.append('?').append(names(uri.getRawQuery()));
			}
			return shown.toString();
		}
		catch (URISyntaxException ex) {
			return "(invalid URL)";
		}
	}

	private static String names(String query) {
		StringBuilder shown = new StringBuilder();
		for (String parameter : query.split("&", -1)) {
			if (shown.length() > 0) {
				shown.append('&');
			}
			int equals = parameter.indexOf('=');
			// A parameter with no '=' may be a bare token: hide it whole.
			shown.append((equals < 0) ? HIDDEN : parameter.substring(0, equals + 1) + HIDDEN);
		}
		return shown.toString();
	}

}

package io.github.aifallback.actuate;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The {@code aifallback} endpoint on the web: a bad request is answered {@code 400} with a body
 * that says why ({@code {"error": "..."}}), where Boot's own error page would, by default,
 * not show the reason.
 *
 * @since 0.1.0
 */
@EndpointWebExtension(endpoint = FallbackEndpoint.class)
public class FallbackEndpointWebExtension {

	private final FallbackEndpoint endpoint;

	/**
	 * An extension of the given endpoint.
	 * @param endpoint the endpoint
	 */
	public FallbackEndpointWebExtension(FallbackEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/**
	 * Force an entry's circuit open, or close it and reset its counters.
	 * @param entry the entry's name
	 * @param state {@code open} or {@code closed}
	 * @return the entry after the change, or a {@code 400} naming what was wrong
	 */
	@WriteOperation
	public WebEndpointResponse<Object> changeState(@Selector String entry, @Nullable String state) {
		try {
			return new WebEndpointResponse<>(this.endpoint.changeState(entry, state));
		}
		catch (InvalidEndpointRequestException ex) {
			return new WebEndpointResponse<>(Map.of("error", ex.getReason()), WebEndpointResponse.STATUS_BAD_REQUEST);
		}
	}

}

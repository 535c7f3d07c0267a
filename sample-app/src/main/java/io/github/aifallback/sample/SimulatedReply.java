package io.github.aifallback.sample;

import java.util.List;
import java.util.Map;

/**
 * One HTTP answer of the simulator: status, extra headers and a JSON body, or server-sent
 * events written one by one.
 *
 * @param status the HTTP status code
 * @param headers headers to send besides {@code Content-Type}
 * @param body the JSON body (empty for a stream)
 * @param events the server-sent events of a stream ({@code data: ...} blocks), or empty
 */
record SimulatedReply(int status, Map<String, String> headers, String body, List<String> events) {

	SimulatedReply {
		headers = Map.copyOf(headers);
		events = List.copyOf(events);
	}

	SimulatedReply(int status, Map<String, String> headers, String body) {
		this(status, headers, body, List.of());
	}

	static SimulatedReply json(int status, String body) {
		return new SimulatedReply(status, Map.of(), body);
	}

	static SimulatedReply stream(List<String> events) {
		return new SimulatedReply(200, Map.of(), "", events);
	}

	boolean streaming() {
		return !this.events.isEmpty();
	}

}

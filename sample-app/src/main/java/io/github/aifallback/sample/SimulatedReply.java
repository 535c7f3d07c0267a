package io.github.aifallback.sample;

import java.util.Map;

/**
 * One HTTP answer of the simulator: status, extra headers and a JSON body.
 *
 * @param status the HTTP status code
 * @param headers headers to send besides {@code Content-Type}
 * @param body the JSON body
 */
record SimulatedReply(int status, Map<String, String> headers, String body) {

	SimulatedReply {
		headers = Map.copyOf(headers);
	}

	static SimulatedReply json(int status, String body) {
		return new SimulatedReply(status, Map.of(), body);
	}

}

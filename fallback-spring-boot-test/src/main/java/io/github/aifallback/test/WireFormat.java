package io.github.aifallback.test;

import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of one vendor's API, as its SDK reads them: answers, streams, refusals and error
 * bodies. The formats are those the engine's own adapter tests use.
 */
abstract sealed class WireFormat {

	static final WireFormat OPENAI = new OpenAi();

	static final WireFormat ANTHROPIC = new Anthropic();

	abstract String answer(String model, String text);

	abstract String refusal(String model);

	/** The events of a stream; {@code complete} false cuts it after the tokens. */
	abstract String stream(String model, List<String> tokens, boolean complete);

	abstract String refusalStream(String model);

	abstract String error(int status);

	abstract String quota();

	/** OpenAI's quota error is a 429; Anthropic's low credit is a 400. */
	abstract int quotaStatus();

	static List<String> tokens(String text) {
		List<String> tokens = new ArrayList<>(List.of(text.split("(?<= )")));
		tokens.removeIf(String::isEmpty);
		return tokens;
	}

	static String quoted(String text) {
		StringBuilder out = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"').toString();
	}

	/** {@code POST /v1/chat/completions}, blocking and server-sent events. */
	static final class OpenAi extends WireFormat {

		@Override
		String answer(String model, String text) {
			return completion(model, "{\"role\":\"assistant\",\"content\":" + quoted(text) + "}", "stop");
		}

		@Override
		String refusal(String model) {
			return completion(model, "{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can't help with that.\"}",
					"stop");
		}

		private static String completion(String model, String message, String finish) {
			return "{\"id\":\"chatcmpl-sim\",\"object\":\"chat.completion\",\"created\":1767225600,\"model\":"
					+ quoted(model) + ",\"choices\":[{\"index\":0,\"message\":" + message + ",\"finish_reason\":\""
					+ finish + "\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}";
		}

		@Override
		String stream(String model, List<String> tokens, boolean complete) {
			StringBuilder body = new StringBuilder(chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
			for (String token : tokens) {
				body.append(chunk(model, "{\"content\":" + quoted(token) + "}", null));
			}
			if (complete) {
				body.append(chunk(model, "{}", "stop")).append("data: [DONE]\n\n");
			}
			return body.toString();
		}

		@Override
		String refusalStream(String model) {
			return chunk(model, "{\"role\":\"assistant\",\"content\":null}", null)
					+ chunk(model, "{\"refusal\":\"I can't help with that.\"}", null) + chunk(model, "{}", "stop")
					+ "data: [DONE]\n\n";
		}

		private static String chunk(String model, String delta, String finish) {
			return "data: {\"id\":\"chatcmpl-sim\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,"
					+ "\"model\":" + quoted(model) + ",\"choices\":[{\"index\":0,\"delta\":" + delta
					+ ",\"finish_reason\":" + ((finish != null) ? "\"" + finish + "\"" : "null") + "}]}\n\n";
		}

		@Override
		String error(int status) {
			if (status == 429) {
				return body("Rate limit reached for requests. Please try again later.", "requests",
						"rate_limit_exceeded");
			}
			if (status == 401 || status == 403) {
				return body("Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
			}
			if (status == 404) {
				return body("The model does not exist or you do not have access to it.", "invalid_request_error",
						"model_not_found");
			}
			if (status >= 500) {
				return body("The server had an error while processing your request.", "server_error", null);
			}
			return body("Invalid request.", "invalid_request_error", null);
		}

		@Override
		String quota() {
			return body("You exceeded your current quota, please check your plan and billing details.",
					"insufficient_quota", "insufficient_quota");
		}

		@Override
		int quotaStatus() {
			return 429;
		}

		private static String body(String message, String type, String code) {
			return "{\"error\":{\"message\":" + quoted(message) + ",\"type\":\"" + type + "\",\"param\":null,\"code\":"
					+ ((code != null) ? "\"" + code + "\"" : "null") + "}}";
		}

	}

	/** {@code POST /v1/messages}, blocking and Anthropic's named server-sent events. */
	static final class Anthropic extends WireFormat {

		@Override
		String answer(String model, String text) {
			return message(model, "[{\"type\":\"text\",\"text\":" + quoted(text) + "}]", "end_turn");
		}

		@Override
		String refusal(String model) {
			return message(model, "[{\"type\":\"text\",\"text\":\"I can\"}]", "refusal");
		}

		private static String message(String model, String content, String stopReason) {
			return "{\"id\":\"msg_sim\",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + quoted(model)
					+ ",\"content\":" + content + ",\"stop_reason\":\"" + stopReason
					+ "\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}";
		}

		@Override
		String stream(String model, List<String> tokens, boolean complete) {
			StringBuilder body = new StringBuilder(start(model));
			for (String token : tokens) {
				body.append(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
						+ "{\"type\":\"text_delta\",\"text\":" + quoted(token) + "}}"));
			}
			if (complete) {
				body.append(end("end_turn"));
			}
			return body.toString();
		}

		@Override
		String refusalStream(String model) {
			return start(model) + end("refusal");
		}

		private static String start(String model) {
			return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_sim\","
					+ "\"type\":\"message\",\"role\":\"assistant\",\"model\":" + quoted(model) + ",\"content\":[],"
					+ "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}")
					+ event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,"
							+ "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
		}

		private static String end(String stopReason) {
			return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
					+ event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
							+ "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}")
					+ event("message_stop", "{\"type\":\"message_stop\"}");
		}

		private static String event(String name, String data) {
			return "event: " + name + "\ndata: " + data + "\n\n";
		}

		@Override
		String error(int status) {
			if (status == 429) {
				return body("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit");
			}
			if (status == 401) {
				return body("authentication_error", "invalid x-api-key");
			}
			if (status == 403) {
				return body("permission_error", "Your API key does not have permission to use the specified resource.");
			}
			if (status == 404) {
				return body("not_found_error", "model: not found");
			}
			if (status == 529) {
				return body("overloaded_error", "Overloaded");
			}
			if (status >= 500) {
				return body("api_error", "Internal server error");
			}
			return body("invalid_request_error", "Invalid request.");
		}

		@Override
		String quota() {
			return body("invalid_request_error", "Your credit balance is too low to access the Anthropic API. "
					+ "Please go to Plans & Billing to upgrade or purchase credits.");
		}

		@Override
		int quotaStatus() {
			return 400;
		}

		private static String body(String type, String message) {
			return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":" + quoted(message) + "}}";
		}

	}

}

package io.github.aifallback.chat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * Error bodies as real providers and gateways send them, OpenAI's own shape being only one
 * of many. Each renders a body for a status and an optional marker (a code such as
 * {@code insufficient_quota} that changes the failure's kind); shapes that cannot carry a
 * marker return {@code null} for one.
 */
enum ErrorBodyShape {

	/** OpenAI's documented shape. */
	OPENAI("application/json") {
		@Override
		String body(int status, Marker marker) {
			String code = (marker != null) ? marker.code : "some_error";
			return """
					{"error":{"message":"%s","type":"%s","param":null,"code":"%s"}}"""
				.formatted(message(marker), (marker != null) ? marker.code : "invalid_request_error", code);
		}
	},

	/** Azure OpenAI: the status as a string code, no {@code type}. */
	AZURE("application/json") {
		@Override
		String body(int status, Marker marker) {
			return """
					{"error":{"code":"%s","message":"%s"}}""".formatted((marker != null) ? marker.code : status,
					message(marker));
		}
	},

	/** LiteLLM and other proxies: {@code "type": null}. */
	LITELLM_NULL_TYPE("application/json") {
		@Override
		String body(int status, Marker marker) {
			return """
					{"error":{"message":"litellm.APIError: %s","type":null,"param":null,"code":"%s"}}"""
				.formatted(message(marker), status);
		}
	},

	/** A numeric code; a marker, if any, is only in the message. */
	NUMERIC_CODE("application/json") {
		@Override
		String body(int status, Marker marker) {
			return """
					{"error":{"message":"%s","type":"error","code":%d}}""".formatted(message(marker), status);
		}
	},

	/** An error object nested inside another. */
	NESTED("application/json") {
		@Override
		String body(int status, Marker marker) {
			return """
					{"error":{"message":"upstream failed","error":{"error":{"code":"%s","status":%d}}}}"""
				.formatted((marker != null) ? marker.code : "upstream", status);
		}
	},

	/** A top-level message, no {@code error} member. */
	MESSAGE_ONLY("application/json") {
		@Override
		String body(int status, Marker marker) {
			return """
					{"message":"%s","statusCode":%d}""".formatted(message(marker), status);
		}
	},

	/** An array at the top (Google-style gateways). */
	ARRAY("application/json") {
		@Override
		String body(int status, Marker marker) {
			return """
					[{"error":{"code":%d,"message":"%s","status":"%s"}}]""".formatted(status, message(marker),
					(marker != null) ? marker.code : "UNAVAILABLE");
		}
	},

	/** {@code error} is a string. */
	ERROR_STRING("application/json") {
		@Override
		String body(int status, Marker marker) {
			return """
					{"error":"%s"}""".formatted(message(marker));
		}
	},

	/** Members of unexpected types: an object type, an array code, an object message. */
	ODD_TYPES("application/json") {
		@Override
		String body(int status, Marker marker) {
			return """
					{"error":{"type":{"name":"x"},"code":["%s"],"message":{"text":"%s"},"param":7}}"""
				.formatted((marker != null) ? marker.code : "odd", message(marker));
		}
	},

	/** {@code "error": null}. */
	ERROR_NULL("application/json") {
		@Override
		String body(int status, Marker marker) {
			return (marker != null) ? null : "{\"error\":null}";
		}
	},

	/** A proxy's HTML error page. */
	HTML("text/html") {
		@Override
		String body(int status, Marker marker) {
			return (marker != null) ? null
					: "<html><head><title>" + status + "</title></head><body><h1>Bad Gateway</h1></body></html>";
		}
	},

	/** Plain text. */
	PLAIN_TEXT("text/plain") {
		@Override
		String body(int status, Marker marker) {
			return (marker != null) ? null : "upstream connect error or disconnect/reset before headers";
		}
	},

	/** No body at all, yet a JSON content type. */
	EMPTY("application/json") {
		@Override
		String body(int status, Marker marker) {
			return (marker != null) ? null : "";
		}
	},

	/** Not JSON, though it says it is. */
	BROKEN_JSON("application/json") {
		@Override
		String body(int status, Marker marker) {
			return (marker != null) ? null : "{\"error\": {\"message\": \"cut";
		}
	},

	/** Deeper than any parser should follow. */
	DEEP_JSON("application/json") {
		@Override
		String body(int status, Marker marker) {
			return (marker != null) ? null : "[".repeat(5000) + "]".repeat(5000);
		}
	},

	/** About 1 MiB of JSON. */
	HUGE("application/json") {
		@Override
		String body(int status, Marker marker) {
			return (marker != null) ? null : "{\"error\":{\"message\":\"" + "x".repeat(1024 * 1024) + "\"}}";
		}
	};

	private final String contentType;

	ErrorBodyShape(String contentType) {
		this.contentType = contentType;
	}

	/** The body for this status and marker, or {@code null} when the shape cannot carry it. */
	abstract String body(int status, Marker marker);

	/** The response: status, content type and body. */
	ResponseDefinitionBuilder response(int status, Marker marker) {
		return aResponse().withStatus(status)
			.withHeader("Content-Type", this.contentType)
			.withBody(body(status, marker));
	}

	private static String message(Marker marker) {
		return (marker != null) ? marker.message : "simulated failure";
	}

	/** What, in a body, changes the kind a status alone gives. */
	enum Marker {

		/** Out of credit: waiting will not help. */
		QUOTA("insufficient_quota", "You exceeded your current quota, please check your plan and billing details."),

		/** The prompt is too long for this model. */
		CONTEXT("context_length_exceeded",
				"This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.");

		final String code;

		final String message;

		Marker(String code, String message) {
			this.code = code;
			this.message = message;
		}

	}

}

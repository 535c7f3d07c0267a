package io.github.aifallback.sample;

import java.util.List;

import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.ResilientChatClient;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /chat}: asks the resilient client and reports which chain entry served and which
 * attempts failed on the way.
 */
@RestController
class ChatController {

	private final ResilientChatClient chatClient;

	ChatController(ResilientChatClient chatClient) {
		this.chatClient = chatClient;
	}

	@PostMapping("/chat")
	ResponseEntity<?> chat(@RequestBody ChatRequest request) {
		if (request == null || request.message() == null || request.message().isBlank()) {
			return ResponseEntity.badRequest().body(new ErrorBody("'message' must not be blank"));
		}
		ChatResponse response = this.chatClient.call(new Prompt(request.message()));
		FallbackMetadata fallback = FallbackMetadata.of(response);
		return ResponseEntity.ok(new ChatAnswer(response.getResult().getOutput().getText(), fallback.servedBy(),
				fallback.failedAttempts(), fallback.degraded()));
	}

	/**
	 * The answer as server-sent events: {@code served-by} once (who answers, which attempts
	 * failed first), then one {@code token} event per chunk that carries text (the closing
	 * chunk, with the finish reason only, sends none); a failure ends the stream with
	 * one {@code error} event (a cut stream is never passed off as complete).
	 */
	@PostMapping(path = "/chat/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<String>> stream(@RequestBody ChatRequest request) {
		if (request == null || request.message() == null || request.message().isBlank()) {
			return Flux.just(ServerSentEvent.builder("'message' must not be blank").event("error").build());
		}
		return this.chatClient.stream(new Prompt(request.message())).index().concatMap((indexed) -> {
			ChatResponse chunk = indexed.getT2();
			String text = (chunk.getResult() != null) ? chunk.getResult().getOutput().getText() : null;
			Flux<ServerSentEvent<String>> token = (text == null || text.isEmpty()) ? Flux.empty()
					: Flux.just(ServerSentEvent.builder(text).event("token").build());
			if (indexed.getT1() > 0) {
				return token;
			}
			FallbackMetadata fallback = FallbackMetadata.of(chunk);
			String servedBy = fallback.servedBy() + " (degraded: " + fallback.degraded() + ", failed attempts: "
					+ fallback.failedAttempts() + ")";
			return Flux.just(ServerSentEvent.builder(servedBy).event("served-by").build()).concatWith(token);
		})
			.onErrorResume((ex) -> Flux.just(ServerSentEvent.builder(String.valueOf(ex.getMessage())).event("error").build()));
	}

	/**
	 * The request body.
	 *
	 * @param message the user's message
	 */
	record ChatRequest(String message) {
	}

	/**
	 * The answer and how it was obtained.
	 *
	 * @param answer the model's text
	 * @param servedBy the name of the chain entry that answered ({@code cache} when degraded)
	 * @param failedAttempts one line per failed attempt, in order
	 * @param degraded whether the answer is a cached one because every model failed
	 */
	record ChatAnswer(String answer, String servedBy, List<String> failedAttempts, boolean degraded) {
	}

	/**
	 * An error body.
	 *
	 * @param error what went wrong
	 */
	record ErrorBody(String error) {
	}

}

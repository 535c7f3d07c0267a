package io.github.aifallback.sample;

import io.github.aifallback.chat.AllModelsFailedException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns the chain's exhaustion into {@code 503 Service Unavailable}, and an unreadable request
 * into {@code 400}, each with a JSON {@code {"error": ...}} body.
 */
@RestControllerAdvice
class ChatExceptionHandler {

	@ExceptionHandler(AllModelsFailedException.class)
	ResponseEntity<ChatController.ErrorBody> allModelsFailed(AllModelsFailedException ex) {
		// The library's message lists entries, kinds, statuses and durations, never the prompt or a key.
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(new ChatController.ErrorBody(ex.getMessage()));
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<ChatController.ErrorBody> unreadable(HttpMessageNotReadableException ex) {
		return ResponseEntity.badRequest().body(new ChatController.ErrorBody("Expected a JSON body {\"message\": \"...\"}"));
	}

}

package io.github.aifallback.chat;

import java.util.List;
import java.util.Objects;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.failure.InvalidResponseException;

/**
 * Checks an answer before the chain returns it; a rejected answer is an
 * {@link FailureKind#INVALID_RESPONSE} failure and the chain tries the next entry (or
 * retries the same one, when the policy says so for that kind). For example: structured
 * output that does not parse, or an answer that fails an application check.
 *
 * <p>
 * Reject by throwing {@link InvalidResponseException} with a short reason: it appears in
 * the attempt's log line, so it must not quote the prompt. Anything else the validator
 * throws is counted as a rejection too ("the response validator threw ..."), never
 * reaching the caller. A validator runs on the caller's thread after every successful
 * attempt of a blocking call, after the engine's own checks (no choices, empty content, a
 * refusal), so it may read the caller's thread-locals. That holds for hedged entries too:
 * their race runs on hedging threads, but each answer is validated on the caller's thread
 * as it comes back, and a rejected one is that side's failure (the other side may still
 * win). It does not run on streams: their tokens reach the subscriber before the
 * answer is whole, so a rejection could not take them back.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ResponseValidator {

	/**
	 * Check an answer.
	 * @param prompt the request
	 * @param response the answer of one attempt, before the chain's metadata is added
	 * @throws InvalidResponseException to reject it
	 */
	void validate(Prompt prompt, ChatResponse response);

	/**
	 * A validator running several in order; the first rejection wins.
	 * @param validators the validators
	 * @return the composed validator
	 */
	static ResponseValidator allOf(List<? extends ResponseValidator> validators) {
		List<ResponseValidator> all = List.copyOf(validators);
		if (all.size() == 1) {
			return all.get(0);
		}
		return (prompt, response) -> {
			for (ResponseValidator validator : all) {
				Objects.requireNonNull(validator, "validator").validate(prompt, response);
			}
		};
	}

}

package io.github.aifallback.chat.failure;

/**
 * Turns whatever an attempt threw into a {@link Failure}.
 *
 * @since 0.1.0
 * @see io.github.aifallback.chat.openai.OpenAiFailureClassifier
 */
@FunctionalInterface
public interface FailureClassifier {

	/**
	 * Classify a failed attempt.
	 * @param failure what the attempt threw
	 * @return the classified failure, never {@code null}
	 */
	Failure classify(Throwable failure);

}

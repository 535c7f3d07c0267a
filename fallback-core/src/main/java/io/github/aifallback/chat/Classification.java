package io.github.aifallback.chat;


import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.github.aifallback.chat.failure.BasicFailureClassifier;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureClassifier;
import io.github.aifallback.chat.failure.FailureKind;

/**
 * Classifies a failed attempt without ever throwing: the engine's own exceptions first
 * (they mean the same whatever the provider), then the configured classifier, guarded. A
 * classifier that throws or returns nothing must not turn one provider's odd error into a
 * failed call: the attempt then counts as {@link FailureKind#BAD_REQUEST} (falls back, never
 * opens a circuit) and what the classifier threw is attached to the original failure.
 */
final class Classification {

	private static final Logger logger = LoggerFactory.getLogger(ResilientChatClient.class);

	private Classification() {
	}

	static Failure classify(FailureClassifier classifier, Throwable thrown) {
		Failure own = BasicFailureClassifier.engineFailure(thrown);
		if (own != null) {
			return own;
		}
		try {
			Failure failure = classifier.classify(thrown);
			if (failure != null && failure.kind() != null) {
				return failure;
			}
			logger.warn("AI fallback: classifier {} returned no failure kind for {}; counting it as {}",
					classifier.getClass().getName(), thrown.getClass().getName(), FailureKind.BAD_REQUEST);
		}
		catch (Throwable ex) {
			Fatal.rethrowIfFatal(ex);
			logger.warn("AI fallback: classifier {} threw {} while classifying {}; counting it as {}",
					classifier.getClass().getName(), ex.getClass().getName(), thrown.getClass().getName(),
					FailureKind.BAD_REQUEST);
			thrown.addSuppressed(ex);
		}
		return Failure.of(FailureKind.BAD_REQUEST);
	}

}

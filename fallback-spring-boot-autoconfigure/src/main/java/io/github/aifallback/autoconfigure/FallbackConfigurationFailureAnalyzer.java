package io.github.aifallback.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidFallbackConfigurationException} into a start-up report that names
 * the property and the fix, instead of a stack trace.
 */
class FallbackConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidFallbackConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidFallbackConfigurationException cause) {
		String description = "The AI fallback chain is misconfigured.\n\n    Property: " + cause.getProperty()
				+ "\n    Problem:  " + cause.getProblem();
		return new FailureAnalysis(description, cause.getFix(), cause);
	}

}

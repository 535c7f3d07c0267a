package io.github.aifallback.chat.model;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.github.aifallback.chat.failure.BasicFailureClassifier;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureClassifier;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.internal.support.VendorExceptions;

import org.springframework.core.codec.DecodingException;
import org.springframework.util.ClassUtils;

/**
 * Classifies what Spring AI's chat models throw (Ollama, Mistral, DeepSeek and others built
 * on Spring's HTTP clients): Spring AI's {@code TransientAiException} and
 * {@code NonTransientAiException}, whose message starts with the HTTP status; Spring's
 * {@code RestClientResponseException} and {@code WebClientResponseException}, by status,
 * body and {@code Retry-After}; {@code ResourceAccessException} and
 * {@code WebClientRequestException} as a timeout or a broken connection; the exceptions of
 * the openai-java and anthropic-java SDKs, on which Spring AI builds its OpenAI and Anthropic
 * models, as the starter's own entries read them (their adapters lend their readers through
 * {@link VendorExceptions}). Everything else goes to
 * {@link BasicFailureClassifier}. Each of spring-web, spring-webflux, spring-ai-retry and the
 * two SDKs is optional: the exceptions of a library that is absent are simply never seen. It
 * never throws.
 *
 * @since 0.1.0
 */
public final class SpringAiFailureClassifier implements FailureClassifier {

	private static final ClassLoader LOADER = SpringAiFailureClassifier.class.getClassLoader();

	private static final boolean WEB = ClassUtils
		.isPresent("org.springframework.web.client.RestClientResponseException", LOADER);

	private static final boolean WEBFLUX = WEB && ClassUtils
		.isPresent("org.springframework.web.reactive.function.client.WebClientResponseException", LOADER);

	private static final boolean SPRING_AI_RETRY = ClassUtils
		.isPresent("org.springframework.ai.retry.TransientAiException", LOADER);

	/** The vendor SDKs on the class path, whose adapters read their exceptions. */
	private static final List<VendorExceptions> VENDORS = VendorExceptions.installed();

	private static final List<String> RATE_LIMIT_MARKERS = List.of("rate limit", "rate_limit", "too many requests");

	// Causes are followed this deep at most: a cycle of causes must not loop forever.
	private static final int MAX_CAUSES = 16;

	private final Clock clock;

	/**
	 * Create a classifier that reads HTTP-date {@code Retry-After} values against the system
	 * clock.
	 */
	public SpringAiFailureClassifier() {
		this(Clock.systemUTC());
	}

	/**
	 * Create a classifier reading HTTP-date {@code Retry-After} values against the given
	 * clock.
	 * @param clock the clock
	 */
	public SpringAiFailureClassifier(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	/**
	 * Classify a failed attempt. Never throws: a failure that cannot be read counts as
	 * {@link FailureKind#BAD_REQUEST}, so the chain falls back without retrying this entry.
	 */
	@Override
	public Failure classify(Throwable thrown) {
		try {
			return classifyOrThrow(thrown);
		}
		catch (RuntimeException | LinkageError | StackOverflowError ex) {
			return Failure.of(FailureKind.BAD_REQUEST);
		}
	}

	/**
	 * The first exception in the chain of causes that says what happened wins; Spring AI's
	 * exceptions without a status only give a default, since their cause may say more.
	 */
	private Failure classifyOrThrow(Throwable thrown) {
		Throwable failure = BasicFailureClassifier.unwrapped(thrown);
		Failure springAi = null;
		Throwable t = failure;
		for (int i = 0; t != null && i < MAX_CAUSES; i++, t = t.getCause()) {
			Failure known = known(t);
			if (known != null) {
				return known;
			}
			if (springAi == null && SPRING_AI_RETRY) {
				springAi = springAi(t);
				if (springAi != null && springAi.status() != 0) {
					return springAi;
				}
			}
		}
		if (springAi != null && !BasicFailureClassifier.hasCause(failure, IOException.class)) {
			return springAi;
		}
		return BasicFailureClassifier.INSTANCE.classify(failure);
	}

	private Failure known(Throwable t) {
		// Spring AI 2.0's OpenAI and Anthropic models are built on their vendors' SDKs: an
		// application's own OpenAiChatModel or AnthropicChatModel throws the SDK's exceptions,
		// read as the starter's own entries read them (status, Retry-After, error body).
		for (VendorExceptions vendor : VENDORS) {
			if (vendor.recognises(t)) {
				return vendor.classify(t, this.clock);
			}
		}
		Failure failure = WEB ? WebFailures.classify(t, this.clock) : null;
		if (failure == null && WEBFLUX) {
			failure = WebFluxFailures.classify(t, this.clock);
		}
		if (failure == null && t instanceof EntryBusyException) {
			failure = Failure.of(FailureKind.SERVER_ERROR);
		}
		if (failure == null && t instanceof DecodingException) {
			failure = Failure.of(FailureKind.INVALID_RESPONSE);
		}
		return failure;
	}

	/**
	 * Spring AI's default error handler throws {@code NonTransientAiException("<status> - <body>")}
	 * for a 4xx (429 included) and {@code TransientAiException} for the rest.
	 */
	private Failure springAi(Throwable t) {
		boolean isTransient = SpringAiExceptions.isTransient(t);
		if (!isTransient && !SpringAiExceptions.isNonTransient(t)) {
			return null;
		}
		String message = t.getMessage();
		int status = StatusFailures.leadingStatus(message);
		if (status != 0) {
			return StatusFailures.of(status, message, null, this.clock);
		}
		FailureKind kind;
		if (isTransient) {
			kind = mentions(message, RATE_LIMIT_MARKERS) ? FailureKind.RATE_LIMITED : FailureKind.SERVER_ERROR;
		}
		else {
			kind = StatusFailures.mentionsContext(message) ? FailureKind.CONTEXT_TOO_LONG : FailureKind.BAD_REQUEST;
		}
		return new Failure(kind, 0, null, null, null, message);
	}

	private static boolean mentions(String text, List<String> markers) {
		String lower = (text != null) ? text.toLowerCase(Locale.ROOT) : "";
		return markers.stream().anyMatch(lower::contains);
	}

}

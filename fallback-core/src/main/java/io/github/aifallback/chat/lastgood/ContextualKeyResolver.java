package io.github.aifallback.chat.lastgood;

import reactor.util.context.Context;
import reactor.util.context.ContextView;

import org.springframework.ai.chat.prompt.Prompt;

/**
 * A {@link LastGoodKeyResolver} that reads the Reactor context, for applications that
 * carry the tenant there (WebFlux) rather than in a thread-local. For a stream it is asked
 * once the stream is subscribed, with the subscriber's context; for a blocking call, on the
 * caller's thread with an empty context. Any other resolver is asked on the caller's thread
 * when {@code call} or {@code stream} is called, so thread-locals (a security context, a
 * tenant holder) are visible to it.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ContextualKeyResolver extends LastGoodKeyResolver {

	/**
	 * The key for a request.
	 * @param prompt the request (never put its text in the key)
	 * @param fingerprint a SHA-256 over everything in the request but the model
	 * @param context the subscriber's Reactor context (empty for blocking calls)
	 * @return the key, or {@code null} to neither store nor serve a last good answer
	 */
	String resolve(Prompt prompt, String fingerprint, ContextView context);

	@Override
	default String resolve(Prompt prompt, String fingerprint) {
		return resolve(prompt, fingerprint, Context.empty());
	}

}

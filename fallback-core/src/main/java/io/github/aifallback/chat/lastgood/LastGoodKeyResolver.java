package io.github.aifallback.chat.lastgood;

import org.springframework.ai.chat.prompt.Prompt;

/**
 * Scopes the key under which a request's last good answer is kept: for example by tenant
 * or user, so that two tenants sending the same prompt never see each other's answers.
 * The default key is the request's fingerprint alone. It is asked on the caller's thread,
 * when {@code call} or {@code stream} is called (never later, on an SDK or Reactor thread), so
 * thread-locals such as a tenant holder or Spring Security's context are visible to it; a
 * {@link ContextualKeyResolver} reads the Reactor context instead. Whatever it throws is
 * logged and the request is neither stored nor served (fail closed).
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface LastGoodKeyResolver {

	/** Keys are the fingerprint alone: one answer per identical request. */
	LastGoodKeyResolver GLOBAL = (prompt, fingerprint) -> fingerprint;

	/**
	 * The key for a request.
	 * @param prompt the request (to read options or metadata; never put its text in the key)
	 * @param fingerprint a SHA-256 over the messages, tools and options, without the model
	 * @return the key, e.g. {@code tenant + ":" + fingerprint}; {@code null} to neither store
	 * nor serve a last good answer for this request
	 */
	String resolve(Prompt prompt, String fingerprint);

}

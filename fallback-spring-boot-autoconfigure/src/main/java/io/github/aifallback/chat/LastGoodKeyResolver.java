package io.github.aifallback.chat;

import org.springframework.ai.chat.prompt.Prompt;

/**
 * Scopes the key under which a request's last good answer is kept: for example by tenant
 * or user, so that two tenants sending the same prompt never see each other's answers.
 * The default key is the request's fingerprint alone.
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

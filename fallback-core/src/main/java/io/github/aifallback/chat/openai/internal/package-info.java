/**
 * What the OpenAI adapter lends the rest of the engine through {@link java.util.ServiceLoader}
 * (the SDK's exceptions, for an entry wrapping an application's own model). Not API: public
 * only for the service loader, and it may change in any release.
 */
package io.github.aifallback.chat.openai.internal;

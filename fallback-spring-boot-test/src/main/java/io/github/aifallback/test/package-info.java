/**
 * A test kit for applications that use the fallback starter: a scriptable OpenAI- and
 * Anthropic-compatible simulator on 127.0.0.1, a JUnit 5 extension and a test annotation
 * that point the chain's entries at it, an injectable clock, and assertions on what the
 * chain did.
 */
package io.github.aifallback.test;

/**
 * The sample application: a {@code POST /chat} endpoint served by the resilient chat client, and
 * an embedded OpenAI-compatible simulator so that it runs without any key.
 */
package io.github.aifallback.sample;

/**
 * OkHttp pieces shared by the adapters whose SDKs run on OkHttp (OpenAI, Anthropic): one
 * request per attempt, an SDK request mapped to one OkHttp call, bounded and cleaned error
 * bodies, streams that the subscriber can close. Internal: public only so that both adapter
 * packages can use them; the engine never does.
 */
package io.github.aifallback.chat.internal.okhttp;

/**
 * The resilient chat engine, free of Spring Boot: {@link io.github.aifallback.chat.ResilientChatClient},
 * its chain entries, failure classification, retry and fallback policy, and what callers catch.
 */
package io.github.aifallback.chat;

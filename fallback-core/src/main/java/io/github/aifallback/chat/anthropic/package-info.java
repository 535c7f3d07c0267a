/**
 * The Anthropic adapter: chain entries on spring-ai-anthropic (the official anthropic-java
 * SDK), and the classifier of that SDK's exceptions.
 */
package io.github.aifallback.chat.anthropic;

/**
 * The OpenAI adapter: chain entries on spring-ai-openai (the official openai-java SDK) for any
 * OpenAI-compatible endpoint, one request per attempt, and the classifier of that SDK's
 * exceptions.
 */
package io.github.aifallback.chat.openai;

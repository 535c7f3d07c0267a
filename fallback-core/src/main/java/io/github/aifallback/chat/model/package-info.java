/**
 * Any Spring AI {@link org.springframework.ai.chat.model.ChatModel} as a chain entry (Ollama,
 * Gemini, Bedrock, Mistral, Azure, or the application's own), with a classifier of Spring AI's
 * and Spring's web exceptions.
 */
package io.github.aifallback.chat.model;

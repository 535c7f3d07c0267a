/**
 * Spring Boot auto-configuration of the resilient chat client: properties under
 * {@code ai.fallback}, their validation, and the start-up failure analysis.
 */
package io.github.aifallback.autoconfigure;

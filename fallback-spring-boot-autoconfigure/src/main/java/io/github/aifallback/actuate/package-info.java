/**
 * Actuator and Micrometer support for the resilient chat client: health per chain entry,
 * the {@code aifallback} endpoint, and metrics. Each part is optional and auto-configured
 * only when its library is on the classpath.
 */
package io.github.aifallback.actuate;

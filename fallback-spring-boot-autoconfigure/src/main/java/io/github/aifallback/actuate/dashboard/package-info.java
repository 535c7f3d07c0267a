/**
 * The live dashboard: a page served by the application (Spring MVC) that shows the chain's
 * circuits, rates, latency and recent failures from the engine's events, and lets an
 * operator take an entry out of rotation when the {@code aifallback} endpoint's write access
 * is granted. Off unless {@code ai.fallback.dashboard.enabled=true}.
 */
package io.github.aifallback.actuate.dashboard;

/**
 * Deployments: several endpoints (keys, regions) behind one chain entry, each with its own
 * circuit breaker and rate-limit state, picked by weight.
 */
package io.github.aifallback.chat.deployment;

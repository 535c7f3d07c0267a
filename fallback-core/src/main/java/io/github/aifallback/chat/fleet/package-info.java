/**
 * State shared between the instances of a fleet through the application's Redis or cache:
 * circuit state and retry budgets ({@link io.github.aifallback.chat.fleet.RedisFleetCircuitState}),
 * last good answers ({@link io.github.aifallback.chat.fleet.SharedLastGoodStore}), every record
 * signed with the application's secret ({@link io.github.aifallback.chat.fleet.KeyHmac}). Needs
 * Spring Data Redis for Redis, an optional dependency.
 */
package io.github.aifallback.chat.fleet;

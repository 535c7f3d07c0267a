/**
 * Last good answers: the {@link io.github.aifallback.chat.lastgood.LastGoodStore} the client
 * serves from when every model failed, its Spring {@code Cache} implementation, and the key
 * resolvers that decide whose answer a request may get.
 */
package io.github.aifallback.chat.lastgood;

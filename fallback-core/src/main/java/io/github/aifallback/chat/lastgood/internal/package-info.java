/**
 * Internal, not API: how the client guards, throttles and keys its last-good store. Public
 * only so that the chain's package can use these classes; they may change in any release.
 */
package io.github.aifallback.chat.lastgood.internal;

/**
 * Helpers the adapters share to read providers' failures (status, {@code Retry-After}, error
 * bodies of any shape). Not API: public only so that each adapter's package can use them,
 * and they may change in any release.
 */
package io.github.aifallback.chat.internal.support;

/**
 * Internal, not API: the per-attempt plumbing the chain shares with its adapters (cancellation,
 * the caller's context on worker threads, the chain's own timeouts), and in
 * sub-packages the OkHttp pieces and failure-reading helpers of the adapters. Public only so that
 * the engine's other packages can use them; they may change in any release, and
 * {@code PackageRulesTests} forbids any code outside the engine and its auto-configuration to
 * import them.
 */
package io.github.aifallback.chat.internal;

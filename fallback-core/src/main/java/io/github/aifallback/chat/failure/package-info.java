/**
 * What can go wrong in a call and what it is called: the {@link io.github.aifallback.chat.failure.FailureKind}
 * of a failure, the {@link io.github.aifallback.chat.failure.FailureAction} configured for it, the
 * {@link io.github.aifallback.chat.failure.FailureClassifier} that maps an exception to a
 * {@link io.github.aifallback.chat.failure.Failure}, and the exceptions an attempt ends in. The
 * chain, its circuits, its events and every adapter speak this vocabulary; it depends on none of
 * them.
 */
package io.github.aifallback.chat.failure;

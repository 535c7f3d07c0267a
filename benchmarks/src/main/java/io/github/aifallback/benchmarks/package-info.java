/**
 * Measurements of what resilience costs against the bare Spring AI OpenAI client; run with
 * the {@code benchmarks} profile, described in docs/benchmarks.md. Not part of the library.
 */
package io.github.aifallback.benchmarks;

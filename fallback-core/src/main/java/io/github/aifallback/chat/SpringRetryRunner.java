package io.github.aifallback.chat;

import java.time.Duration;
import java.util.function.IntFunction;

import org.springframework.retry.RetryContext;
import org.springframework.retry.RetryPolicy;
import org.springframework.retry.backoff.BackOffContext;
import org.springframework.retry.backoff.BackOffPolicy;
import org.springframework.retry.context.RetryContextSupport;
import org.springframework.retry.support.RetryTemplate;

/**
 * The one place that knows spring-retry (archived upstream): it runs the attempts on one
 * entry. What to do after a failure is decided by the chain and carried by
 * {@link FailedAttempt}; spring-retry loops, and waits through our {@link Sleeper}. Moving
 * to Spring Framework 7's {@code org.springframework.core.retry} means rewriting this
 * class only.
 */
final class SpringRetryRunner {

	private final RetryTemplate template;

	private final Sleeper sleeper;

	SpringRetryRunner(Sleeper sleeper) {
		this.sleeper = sleeper;
		this.template = new RetryTemplate();
		this.template.setRetryPolicy(new DecidedRetryPolicy());
		this.template.setBackOffPolicy(new DecidedBackOffPolicy(sleeper));
		this.template.setThrowLastExceptionOnExhausted(true);
	}

	/**
	 * Run attempts until one returns or one throws a {@link FailedAttempt} that is not to be
	 * retried, which is then thrown.
	 * @param attempt makes attempt number n (from 1)
	 */
	<T> T run(IntFunction<T> attempt) {
		// Most calls succeed on their first attempt, which needs none of the template's
		// machinery (a retry context, its policies, listeners): about a tenth of what the
		// engine adds to a successful call, in a profile. The template takes over from the
		// second attempt, after the wait the first failure decided.
		FailedAttempt first;
		try {
			return attempt.apply(1);
		}
		catch (FailedAttempt failed) {
			if (!failed.retry()) {
				throw failed;
			}
			first = failed;
		}
		waitBefore(this.sleeper, first);
		return this.template.execute((context) -> attempt.apply(context.getRetryCount() + 2));
	}

	/** Wait what the failure decided, through the sleeper; an interrupt ends the call. */
	private static void waitBefore(Sleeper sleeper, Throwable last) {
		Duration wait = (last instanceof FailedAttempt failed) ? failed.waitBeforeRetry() : Duration.ZERO;
		try {
			sleeper.sleep(wait);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedWaitException(ex);
		}
	}

	/**
	 * The thread was interrupted during a backoff; the interrupt flag is set again. Ours,
	 * not spring-retry's {@code BackOffInterruptedException}, so that callers never see the
	 * engine's type.
	 */
	static final class InterruptedWaitException extends RuntimeException {

		InterruptedWaitException(InterruptedException cause) {
			super("Interrupted while waiting to retry", cause);
		}

	}

	/** Retry exactly when the last failure says so. */
	private static final class DecidedRetryPolicy implements RetryPolicy {

		@Override
		public boolean canRetry(RetryContext context) {
			Throwable last = context.getLastThrowable();
			return last == null || (last instanceof FailedAttempt failed && failed.retry());
		}

		@Override
		public RetryContext open(RetryContext parent) {
			return new RetryContextSupport(parent);
		}

		@Override
		public void close(RetryContext context) {
		}

		@Override
		public void registerThrowable(RetryContext context, Throwable throwable) {
			((RetryContextSupport) context).registerThrowable(throwable);
		}

	}

	/** Wait what the last failure decided, through the injectable sleeper. */
	private static final class DecidedBackOffPolicy implements BackOffPolicy {

		private final Sleeper sleeper;

		DecidedBackOffPolicy(Sleeper sleeper) {
			this.sleeper = sleeper;
		}

		@Override
		public BackOffContext start(RetryContext context) {
			return new Waiting(context);
		}

		@Override
		public void backOff(BackOffContext backOffContext) {
			waitBefore(this.sleeper, ((Waiting) backOffContext).context().getLastThrowable());
		}

		private record Waiting(RetryContext context) implements BackOffContext {
		}

	}

}

package io.github.aifallback.chat.internal.okhttp;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import okhttp3.Interceptor;

/**
 * One attempt's timeouts, carried by its request as a tag: the strict client's interceptor
 * applies the connect, read and write timeouts, {@link SingleRequestOkHttp#newCall} the
 * call's, and {@link SdkCalls#request} tells the server about them in the SDK's headers.
 * Internal to the adapters.
 *
 * @param connect the connect timeout
 * @param read the read timeout
 * @param write the write timeout
 * @param call the whole call's timeout, the response body included
 * @since 0.1.0
 */
public record AttemptTimeouts(Duration connect, Duration read, Duration write, Duration call) {

	/** Applies the tagged request's connect, read and write timeouts; untagged requests pass. */
	static final Interceptor INTERCEPTOR = (chain) -> {
		AttemptTimeouts timeouts = chain.request().tag(AttemptTimeouts.class);
		if (timeouts == null) {
			return chain.proceed(chain.request());
		}
		// Each change copies the chain: only what differs from the client's is changed (an
		// attempt with the entry's own timeout changes nothing).
		Interceptor.Chain timed = chain;
		int connect = millis(timeouts.connect());
		if (connect != timed.connectTimeoutMillis()) {
			timed = timed.withConnectTimeout(connect, TimeUnit.MILLISECONDS);
		}
		int read = millis(timeouts.read());
		if (read != timed.readTimeoutMillis()) {
			timed = timed.withReadTimeout(read, TimeUnit.MILLISECONDS);
		}
		int write = millis(timeouts.write());
		if (write != timed.writeTimeoutMillis()) {
			timed = timed.withWriteTimeout(write, TimeUnit.MILLISECONDS);
		}
		return timed.proceed(chain.request());
	};

	/** OkHttp's int milliseconds; a positive duration under 1 ms is 1 ms, not "none". */
	private static int millis(Duration duration) {
		long millis = duration.toMillis();
		if (millis == 0 && !duration.isZero()) {
			return 1;
		}
		return (int) Math.min(Integer.MAX_VALUE, millis);
	}

}

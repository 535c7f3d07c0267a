package io.github.aifallback.chat.internal.okhttp;

import java.io.IOException;

import io.github.aifallback.chat.deployment.RateLimitState;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Records the rate-limit headers of every successful response (streams included: the
 * headers come before the first chunk) on one deployment's {@link RateLimitState}. Added
 * only to the transports of deployments that read them, so other entries pay nothing.
 * Internal to the adapters.
 *
 * @since 0.1.0
 */
public final class RateLimitInterceptor implements Interceptor {

	private final RateLimitState state;

	/**
	 * An interceptor recording on one state.
	 * @param state the deployment's state
	 */
	public RateLimitInterceptor(RateLimitState state) {
		this.state = state;
	}

	@Override
	public Response intercept(Chain chain) throws IOException {
		Response response = chain.proceed(chain.request());
		if (response.isSuccessful()) {
			this.state.record(response::header);
		}
		return response;
	}

}

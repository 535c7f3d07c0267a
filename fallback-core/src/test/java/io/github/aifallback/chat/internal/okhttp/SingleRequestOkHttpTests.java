package io.github.aifallback.chat.internal.okhttp;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import okhttp3.Call;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * One attempt's timeouts without a client per attempt, and no queue in OkHttp's dispatcher:
 * under overload both were time lost on our side and counted against the provider.
 */
class SingleRequestOkHttpTests {

	@RegisterExtension
	static WireMockExtension server = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
		.build();

	@Test
	void whenTheClientHasOkHttpsDefaultDispatcherThenNoAsynchronousCallWaitsInItsQueue() {
		OkHttpClient strict = SingleRequestOkHttp.strict(new OkHttpClient());

		assertThat(strict.dispatcher().getMaxRequestsPerHost()).isEqualTo(Integer.MAX_VALUE);
		assertThat(strict.dispatcher().getMaxRequests()).isEqualTo(Integer.MAX_VALUE);
	}

	@Test
	void whenTheApplicationConfiguredTheDispatcherThenItIsKept() {
		Dispatcher configured = new Dispatcher();
		configured.setMaxRequestsPerHost(12);

		OkHttpClient strict = SingleRequestOkHttp.strict(new OkHttpClient.Builder().dispatcher(configured).build());

		assertThat(strict.dispatcher()).isSameAs(configured);
	}

	@Test
	void whenACallIsMadeWithAnAttemptsTimeoutsThenTheCallCarriesThemAndTheClientIsNotCopied() throws Exception {
		OkHttpClient strict = SingleRequestOkHttp.strict(new OkHttpClient());
		server.stubFor(get("/slow").willReturn(aResponse().withFixedDelay(5_000).withBody("late")));
		server.stubFor(get("/fast").willReturn(aResponse().withBody("ok")));

		Call slow = SingleRequestOkHttp.newCall(strict, request(strict, "/slow", new AttemptTimeouts(Duration.ofSeconds(5),
				Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30))));
		Call fast = SingleRequestOkHttp.newCall(strict, request(strict, "/fast", new AttemptTimeouts(Duration.ofSeconds(5),
				Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(2_500))));

		assertThat(fast.timeout().timeoutNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(2_500));
		try (Response response = fast.execute()) {
			assertThat(response.body().string()).isEqualTo("ok");
		}
		assertThatExceptionOfType(SocketTimeoutException.class).as("the read timeout, not the call's")
			.isThrownBy(slow::execute);
		assertThat(strict.callTimeoutMillis()).as("the shared client is unchanged").isZero();
	}

	@Test
	void whenAnAttemptHasItsOwnTimeoutsThenTheSdksTimeoutHeadersTellTheServerThoseNotTheClients() {
		OkHttpClient strict = SingleRequestOkHttp.strict(new OkHttpClient.Builder()
			.readTimeout(Duration.ofSeconds(60))
			.callTimeout(Duration.ofSeconds(60))
			.build());

		Request attempt = request(strict, "/x", new AttemptTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(7),
				Duration.ofSeconds(5), Duration.ofSeconds(9)));
		Request plain = request(strict, "/x", null);

		assertThat(attempt.header("X-Stainless-Read-Timeout")).isEqualTo("7");
		assertThat(attempt.header("X-Stainless-Timeout")).isEqualTo("9");
		assertThat(plain.header("X-Stainless-Read-Timeout")).isEqualTo("60");
		assertThat(plain.header("X-Stainless-Timeout")).isEqualTo("60");
	}

	private static Request request(OkHttpClient client, String path, AttemptTimeouts timeouts) {
		return SdkCalls.request(client, timeouts, server.baseUrl() + path, "GET", null, java.util.Set.of(),
				(name) -> java.util.List.of());
	}

}

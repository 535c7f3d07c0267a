package io.github.aifallback.actuate;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.event.CircuitStateChangedEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deployment's own circuit, not only its entry's, reaches the application: its changes
 * as {@link CircuitStateChangedEvent}s named {@code <entry>#<index>} in the context, and its
 * state as a series of {@code ai.fallback.circuit.state}.
 */
class DeploymentCircuitEventsTests {

	@RegisterExtension
	static WireMockExtension deployment = OpenAiStubs.provider();

	@RegisterExtension
	static WireMockExtension next = OpenAiStubs.provider();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class,
				FallbackMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
		.withBean(Recorder.class, Recorder::new)
		.withPropertyValues("ai.fallback.warm-up=false", "ai.fallback.cache.enabled=false",
				"ai.fallback.retry.max-attempts=1", "ai.fallback.circuit-breaker.failure-threshold=2",
				"ai.fallback.chain[0].model=gpt-x", "ai.fallback.chain[0].name=primary",
				"ai.fallback.chain[0].deployments[0].base-url=" + OpenAiStubs.baseUrl(deployment),
				"ai.fallback.chain[0].deployments[0].api-key=k0", "ai.fallback.chain[1].model=next",
				"ai.fallback.chain[1].base-url=" + OpenAiStubs.baseUrl(next), "ai.fallback.chain[1].api-key=k1");

	@Test
	void whenADeploymentsCircuitOpensThenTheContextGetsItsEventAndTheGaugeShowsIt() {
		deployment.stubFor(OpenAiStubs.completion("gpt-x").willReturn(aResponse().withStatus(503)));
		next.stubFor(OpenAiStubs.completion("next").willReturn(OpenAiStubs.answer("next", "fine")));
		this.runner.run((context) -> {
			ResilientChatClient client = context.getBean(ResilientChatClient.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get(CircuitStateMetrics.CIRCUIT_STATE).tag("entry", "primary#0").gauge().value())
				.isEqualTo(0.0);

			for (int i = 0; i < 2; i++) {
				assertThat(client.call(new Prompt("q")).getMetadata().<String>get(FallbackMetadata.SERVED_BY))
					.isEqualTo("next");
			}

			assertThat(deployment.findAll(OpenAiStubs.requestsFor("gpt-x"))).hasSize(2);
			assertThat(context.getBean(Recorder.class).events)
				.filteredOn((event) -> event.entry().equals("primary#0"))
				.singleElement()
				.satisfies((event) -> {
					assertThat(event.from()).isEqualTo(CircuitState.CLOSED);
					assertThat(event.to()).isEqualTo(CircuitState.OPEN);
				});
			assertThat(registry.get(CircuitStateMetrics.CIRCUIT_STATE).tag("entry", "primary#0").gauge().value())
				.isEqualTo(CircuitStateMetrics.value(CircuitState.OPEN));
			assertThat(registry.get(CircuitStateMetrics.CIRCUIT_STATES)
				.tag("entry", "primary#0")
				.tag("state", "open")
				.gauge()
				.value()).isEqualTo(1.0);
		});
	}

	/** The circuit changes the application context received. */
	static final class Recorder implements ApplicationListener<PayloadApplicationEvent<CircuitStateChangedEvent>> {

		final List<CircuitStateChangedEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(PayloadApplicationEvent<CircuitStateChangedEvent> event) {
			this.events.add(event.getPayload());
		}

	}

}

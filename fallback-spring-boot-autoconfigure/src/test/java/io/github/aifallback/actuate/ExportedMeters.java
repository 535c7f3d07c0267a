package io.github.aifallback.actuate;

import java.time.Instant;
import java.util.List;

import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.chat.fleet.FleetLink;
import io.github.aifallback.chat.AllModelsFailedException;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.event.HedgeEvent;
import io.github.aifallback.chat.event.RetryDeniedEvent;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every {@code ai.fallback.*} meter an application gets from Boot's auto-configuration
 * (metrics and observations), after calls that make each one appear: retries, fallbacks, an
 * open circuit, degraded answers, token usage, and (fed as events: they need a hedge or a
 * spent budget) hedges and denied retries.
 */
final class ExportedMeters {

	private ExportedMeters() {
	}

	static List<Meter> all() {
		List<Meter>[] meters = new List[1];
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class,
					FallbackMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					ObservationAutoConfiguration.class))
			.withPropertyValues("spring.ai.openai.api-key=k", "ai.fallback.chain[0].model=configured",
					"ai.fallback.retry.max-attempts=2", "ai.fallback.circuit-breaker.failure-threshold=2",
					"ai.fallback.cache.degraded-message=Try again later")
			.withBean(FakeChain.class, () -> new FakeChain("primary", "secondary"))
			.withBean(FleetLink.class, () -> () -> true)
			.run((context) -> {
				FakeChain chain = context.getBean(FakeChain.class);
				ResilientChatClient client = context.getBean(ResilientChatClient.class);
				chain.model("primary").failing = FailureKind.SERVER_ERROR;
				chain.model("secondary").usage = new DefaultUsage(12, 30);
				client.call(new Prompt("a"));
				client.call(new Prompt("b"));
				chain.model("secondary").failing = FailureKind.TIMEOUT;
				try {
					client.call(new Prompt("c"));
				}
				catch (AllModelsFailedException ex) {
					// The degraded message is configured: not expected, but not the point here.
				}
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				FallbackMetricsListener listener = new FallbackMetricsListener(registry);
				listener.onEvent(new RetryDeniedEvent("primary", 1, FailureKind.TIMEOUT, Instant.now()));
				listener.onEvent(new HedgeEvent("primary", false, true, Instant.now()));
				meters[0] = registry.getMeters()
					.stream()
					.filter((meter) -> meter.getId().getName().startsWith("ai.fallback."))
					.toList();
			});
		return meters[0];
	}

}

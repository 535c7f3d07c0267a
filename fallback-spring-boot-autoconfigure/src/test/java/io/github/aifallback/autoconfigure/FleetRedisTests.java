package io.github.aifallback.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.aifallback.chat.fleet.FleetInternals;
import io.github.aifallback.chat.fleet.RedisFleetCircuitState;
import io.github.aifallback.actuate.FallbackHealthContributor;
import io.github.aifallback.chat.FallbackMetadata;
import io.github.aifallback.chat.MutableClock;
import io.github.aifallback.chat.OpenAiStubs;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.event.CallNotPermittedEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Two application contexts sharing one real, throw-away redis-server and the same upstream,
 * with a shared test clock: what one instance learns, the other follows, with exact
 * request counts, and a Redis that dies leaves both serving from their own state.
 */
class FleetRedisTests {

	private static final MutableClock clock = new MutableClock();

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	private static LocalRedis redis;

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private final String prefix = "fleet-test:" + UUID.randomUUID() + ":";

	@BeforeAll
	static void startRedis() throws Exception {
		redis = LocalRedis.start();
	}

	@AfterAll
	static void stopRedis() {
		if (redis != null) {
			redis.close();
		}
	}

	@AfterEach
	void closeInstances() {
		this.instances.forEach(ConfigurableApplicationContext::close);
	}

	private ConfigurableApplicationContext instance(int redisPort) {
		return instance(redisPort, 2);
	}

	private ConfigurableApplicationContext instance(int redisPort, int failureThreshold, String... extra) {
		List<String> args = new ArrayList<>(List.of("--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + redisPort, "--spring.data.redis.timeout=3s",
				"--spring.ai.openai.base-url=" + baseUrl(provider), "--spring.ai.openai.api-key=test-key",
				"--ai.fallback.cache.enabled=false", "--ai.fallback.retry.max-attempts=1",
				"--ai.fallback.circuit-breaker.failure-threshold=" + failureThreshold, "--logging.level.io.github.aifallback=DEBUG",
				"--ai.fallback.circuit-breaker.open-duration=30s",
				"--ai.fallback.circuit-breaker.permitted-number-of-calls-in-half-open-state=1",
				"--ai.fallback.circuit-breaker.slow-start=0s",
				"--ai.fallback.chain[0].model=primary-model", "--ai.fallback.chain[0].name=primary",
				"--ai.fallback.chain[1].model=secondary-model", "--ai.fallback.chain[1].name=secondary",
				"--ai.fallback.fleet.enabled=true", "--ai.fallback.fleet.key-prefix=" + this.prefix,
				"--ai.fallback.fleet.secret=a-fleet-secret-of-at-least-32-bytes!!",
				"--ai.fallback.fleet.refresh-interval=50ms", "--ai.fallback.fleet.timeout=2s"));
		// A property given twice would bind as a list: the extra ones replace the defaults.
		for (String property : extra) {
			String name = property.substring(0, property.indexOf('=') + 1);
			args.removeIf((arg) -> arg.startsWith(name));
			args.add(property);
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.run(args.toArray(String[]::new));
		this.instances.add(context);
		return context;
	}

	private static String ask(ConfigurableApplicationContext instance) {
		ChatResponse response = instance.getBean(ResilientChatClient.class).call(new Prompt("Status?"));
		return response.getMetadata().get(FallbackMetadata.SERVED_BY);
	}

	private static CircuitBreaker primary(ConfigurableApplicationContext instance) {
		return instance.getBean(ResilientChatClient.class).circuitBreaker("primary");
	}

	private static int primaryRequests() {
		return provider.findAll(requestsFor("primary-model")).size();
	}

	/** Asynchronous propagation: poll, bounded; never a fixed sleep as an assertion. */
	private static void await(String what, BooleanSupplier condition) throws InterruptedException {
		Instant giveUp = Instant.now().plusSeconds(10);
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(giveUp)) {
				throw new AssertionError("not within 10 s: " + what);
			}
			Thread.sleep(10);
		}
	}

	private void openOnA(ConfigurableApplicationContext a) {
		provider.stubFor(completion("primary-model").willReturn(aResponse().withStatus(503)));
		provider.stubFor(completion("secondary-model").willReturn(answer("secondary-model", "fine")));
		assertThat(ask(a)).isEqualTo("secondary");
		assertThat(ask(a)).isEqualTo("secondary");
		assertThat(primary(a).state()).isEqualTo(CircuitState.OPEN);
	}

	@Test
	void whenInstanceAOpensACircuitThenInstanceBSendsNothingToThatProvider() throws Exception {
		ConfigurableApplicationContext a = instance(redis.port());
		ConfigurableApplicationContext b = instance(redis.port());
		openOnA(a);
		await("B follows A's opening", () -> !primary(b).isAvailable());

		for (int i = 0; i < 3; i++) {
			assertThat(ask(b)).isEqualTo("secondary");
		}

		assertThat(primaryRequests()).isEqualTo(2);
		provider.verify(5, requestsFor("secondary-model"));
		assertThat(primary(b).state()).isEqualTo(CircuitState.OPEN);
		// Shared as a remaining duration (clocks differ): the same end, give or take the exchange's delay.
		assertThat(primary(b).snapshot().openUntil()).isCloseTo(primary(a).snapshot().openUntil(),
				within(1, ChronoUnit.SECONDS));
		assertThat(b.getBean(Recorder.class).skipped).hasSize(3)
			.allSatisfy((event) -> assertThat(event.entry()).isEqualTo("primary"));
	}

	@Test
	void whenTheOpenPeriodEndsThenOneInstanceOfTheFleetSendsTheProbe() throws Exception {
		ConfigurableApplicationContext a = instance(redis.port());
		ConfigurableApplicationContext b = instance(redis.port());
		openOnA(a);
		await("B follows A's opening", () -> !primary(b).isAvailable());
		clock.advance(Duration.ofSeconds(31));

		await("one probe reaches the primary", () -> {
			ask(a);
			ask(b);
			return primaryRequests() == 3;
		});
		for (int i = 0; i < 5; i++) {
			assertThat(ask(a)).isEqualTo("secondary");
			assertThat(ask(b)).isEqualTo("secondary");
		}

		assertThat(primaryRequests()).as("one probe for the fleet, which failed and reopened it").isEqualTo(3);
		assertThat(primary(a).state()).isEqualTo(CircuitState.OPEN);
		// B follows A's reopening at its next refresh (50 ms); until then it shows HALF_OPEN but
		// sends nothing, as the exact count above proves.
		await("B follows A's reopening", () -> primary(b).state() == CircuitState.OPEN);
	}

	@Test
	void whenTheFleetsProbeSucceedsThenTheOtherInstanceClosesWithoutProbing() throws Exception {
		ConfigurableApplicationContext a = instance(redis.port());
		ConfigurableApplicationContext b = instance(redis.port());
		openOnA(a);
		await("B follows A's opening", () -> !primary(b).isAvailable());
		provider.stubFor(completion("primary-model").willReturn(answer("primary-model", "back")));
		clock.advance(Duration.ofSeconds(31));

		await("one probe reaches the primary", () -> {
			ask(a);
			ask(b);
			return primaryRequests() == 3;
		});
		await("both serve from the primary again",
				() -> "primary".equals(ask(a)) && "primary".equals(ask(b)));

		assertThat(primary(a).state()).isEqualTo(CircuitState.CLOSED);
		assertThat(primary(b).state()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void whenA429WithRetryAfterOnAThenBSkipsThatProviderForTheWholeWindow() throws Exception {
		ConfigurableApplicationContext a = instance(redis.port(), 1);
		ConfigurableApplicationContext b = instance(redis.port(), 1);
		provider.stubFor(completion("primary-model")
			.willReturn(OpenAiStubs.error(429, "rate_limit_exceeded", "rate_limit_exceeded").withHeader("Retry-After", "120")));
		provider.stubFor(completion("secondary-model").willReturn(answer("secondary-model", "fine")));
		assertThat(ask(a)).isEqualTo("secondary");
		await("B follows A's opening", () -> !primary(b).isAvailable());
		clock.advance(Duration.ofSeconds(60));

		for (int i = 0; i < 3; i++) {
			assertThat(ask(b)).isEqualTo("secondary");
			assertThat(ask(a)).isEqualTo("secondary");
		}

		assertThat(primaryRequests()).as("past the 30 s open period, inside the 120 s Retry-After").isEqualTo(1);
		// The fleet's Retry-After and its opening reach B as two records: the first already keeps B
		// off the provider (above), B's circuit opens at its first call after the second arrives.
		await("B's circuit adopts the fleet's opening", () -> {
			assertThat(ask(b)).isEqualTo("secondary");
			return primary(b).state() == CircuitState.OPEN;
		});
		assertThat(primaryRequests()).as("B never reached the provider while it caught up").isEqualTo(1);
		// B adopts the remaining time (measured by Redis, in real time) at its first call, which this
		// test's shared clock makes 60 s late: the end differs by that; B is open, for the whole wait.
		assertThat(primary(b).snapshot().openUntil()).isAfter(clock.instant().plusSeconds(59));
	}

	@Test
	void whenRedisIsKilledMidTestThenBothInstancesKeepServingFromTheirLocalState() throws Exception {
		LocalRedis doomed = LocalRedis.start();
		ConfigurableApplicationContext a = instance(doomed.port());
		ConfigurableApplicationContext b = instance(doomed.port());
		openOnA(a);
		await("B follows A's opening", () -> !primary(b).isAvailable());
		doomed.close();

		for (int i = 0; i < 3; i++) {
			assertThat(timed(() -> ask(a))).isEqualTo("secondary");
			assertThat(timed(() -> ask(b))).isEqualTo("secondary");
		}
		provider.stubFor(completion("primary-model").willReturn(answer("primary-model", "back")));
		clock.advance(Duration.ofSeconds(31));

		await("A probes on its own and closes", () -> "primary".equals(timed(() -> ask(a))));
		await("B probes on its own and closes", () -> "primary".equals(timed(() -> ask(b))));

		assertThat(primaryRequests()).as("two openings on A, then one probe each").isEqualTo(2 + 2);
		assertThat(primary(a).state()).isEqualTo(CircuitState.CLOSED);
		assertThat(primary(b).state()).isEqualTo(CircuitState.CLOSED);
		await("A reports its Redis link down", () -> !a.getBean(RedisFleetCircuitState.class).isUp());
	}

	@Test
	void whenRedisIsStoppedThenTheFleetLinkGaugeAndHealthSayDown() throws Exception {
		LocalRedis doomed = LocalRedis.start();
		ConfigurableApplicationContext a = instance(doomed.port());
		await("A's first exchange", () -> fleetLink(a) == 1.0);
		assertThat(fleetHealth(a)).isEqualTo("up");

		doomed.close();

		await("A's link gauge falls to 0", () -> fleetLink(a) == 0.0);
		assertThat(fleetHealth(a)).isEqualTo("down");
		assertThat(a.getBean(FallbackHealthContributor.class).getContributor("primary"))
			.isInstanceOfSatisfying(HealthIndicator.class,
					(indicator) -> assertThat(indicator.health().getStatus()).as("the link never turns health down")
						.isEqualTo(Status.UP));
	}

	@Test
	void whenInstanceASpendsTheFleetsRetryBudgetThenBMakesNoRetryOnThePrimary() throws Exception {
		String[] budget = { "--ai.fallback.retry.max-attempts=3", "--ai.fallback.retry.initial-interval=1ms",
				"--ai.fallback.retry.jitter=false", "--ai.fallback.retry.budget.ratio=0",
				"--ai.fallback.retry.budget.min-retries-per-second=0.2", "--ai.fallback.retry.budget.window=10s",
				"--ai.fallback.fleet.retry-budget=true" };
		ConfigurableApplicationContext a = instance(redis.port(), 100, budget);
		ConfigurableApplicationContext b = instance(redis.port(), 100, budget);
		provider.stubFor(completion("primary-model").willReturn(aResponse().withStatus(503)));
		provider.stubFor(completion("secondary-model").willReturn(answer("secondary-model", "fine")));

		assertThat(ask(a)).isEqualTo("secondary");
		assertThat(primaryRequests()).as("one request and the fleet's floor of 2 retries").isEqualTo(3);
		await("B reads the fleet's two retries", () -> fleetRetries(b) == 2);
		for (int i = 0; i < 2; i++) {
			assertThat(ask(b)).isEqualTo("secondary");
		}

		assertThat(primaryRequests()).as("B: one request per call, no retry").isEqualTo(3 + 2);
		provider.verify(3, requestsFor("secondary-model"));
	}

	/** The fleet's retries on the primary in the current window, as instance {@code b} last read them. */
	private static long fleetRetries(ConfigurableApplicationContext instance) {
		return FleetInternals.fleetRetries(instance.getBean(RedisFleetCircuitState.class), "primary");
	}

	private static double fleetLink(ConfigurableApplicationContext instance) {
		Gauge gauge = instance.getBean(MeterRegistry.class).find("ai.fallback.fleet.link").gauge();
		return (gauge != null) ? gauge.value() : -1;
	}

	private static Object fleetHealth(ConfigurableApplicationContext instance) {
		HealthIndicator primary = (HealthIndicator) instance.getBean(FallbackHealthContributor.class)
			.getContributor("primary");
		return primary.health().getDetails().get("fleet");
	}

	/** A call that completes, sooner than a Redis command times out (3 s): callers never wait for Redis. */
	private static String timed(java.util.function.Supplier<String> call) {
		long started = System.nanoTime();
		String servedBy = call.get();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
		return servedBy;
	}

	/** The not-permitted events of one instance. */
	static final class Recorder implements ApplicationListener<PayloadApplicationEvent<CallNotPermittedEvent>> {

		final List<CallNotPermittedEvent> skipped = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(PayloadApplicationEvent<CallNotPermittedEvent> event) {
			this.skipped.add(event.getPayload());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		ResilientChatClientCustomizer sharedTestClock() {
			return (builder) -> builder.clock(clock);
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

	}

}

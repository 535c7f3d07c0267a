package io.github.aifallback.autoconfigure;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.github.aifallback.chat.OpenAiStubs.answer;
import static io.github.aifallback.chat.OpenAiStubs.baseUrl;
import static io.github.aifallback.chat.OpenAiStubs.completion;
import static io.github.aifallback.chat.OpenAiStubs.requestsFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared state as an attack surface and a failure mode: fully separate application contexts
 * (each with its own clock, Redis client and fleet thread) on one real redis-server, with
 * Redis written to by hand as an attacker or a broken peer would, hung (SIGSTOP, or a socket
 * that accepts and never answers) and killed (SIGKILL). Each test names the row of
 * docs/reliability.md ("Shared state") it proves.
 */
class FleetTrustRedisTests {

	static final String SECRET = "a-fleet-secret-of-at-least-32-bytes!!";

	private static final Duration MAX_OPEN = Duration.ofMinutes(5);

	@RegisterExtension
	static WireMockExtension provider = OpenAiStubs.provider();

	private static LocalRedis redis;

	private static RedisClient plainClient;

	private static StatefulRedisConnection<String, String> plain;

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private final String prefix = "trust-test:" + UUID.randomUUID() + ":";

	@BeforeAll
	static void startRedis() throws Exception {
		redis = LocalRedis.start();
		plainClient = RedisClient.create("redis://127.0.0.1:" + redis.port());
		plain = plainClient.connect();
	}

	@AfterAll
	static void stopRedis() {
		if (plain != null) {
			plain.close();
			plainClient.shutdown();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@AfterEach
	void closeInstances() {
		this.instances.forEach(ConfigurableApplicationContext::close);
	}

	/** One instance: its own context, clock, Redis client and fleet thread. */
	private ConfigurableApplicationContext instance(Clock clock, int redisPort, String... extra) {
		List<String> args = new ArrayList<>(List.of("--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + redisPort, "--spring.data.redis.timeout=60s",
				"--spring.ai.openai.base-url=" + baseUrl(provider), "--spring.ai.openai.api-key=test-key",
				"--ai.fallback.cache.enabled=false", "--ai.fallback.retry.max-attempts=1",
				"--ai.fallback.circuit-breaker.failure-threshold=2", "--ai.fallback.circuit-breaker.open-duration=30s",
				"--ai.fallback.circuit-breaker.max-open-duration=" + MAX_OPEN.toMinutes() + "m",
				// One probe per open period, all traffic back at once: the fleet's probe is what is counted.
				"--ai.fallback.circuit-breaker.permitted-number-of-calls-in-half-open-state=1",
				"--ai.fallback.circuit-breaker.slow-start=0s",
				"--ai.fallback.chain[0].model=primary-model", "--ai.fallback.chain[0].name=primary",
				"--ai.fallback.chain[1].model=secondary-model", "--ai.fallback.chain[1].name=secondary",
				"--ai.fallback.fleet.enabled=true", "--ai.fallback.fleet.key-prefix=" + this.prefix,
				"--ai.fallback.fleet.secret=" + SECRET, "--ai.fallback.fleet.refresh-interval=50ms",
				"--ai.fallback.fleet.timeout=1s"));
		for (String property : extra) {
			String name = property.substring(0, property.indexOf('=') + 1);
			args.removeIf((arg) -> arg.startsWith(name));
			args.add(property);
		}
		ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.initializers((ctx) -> ctx.getBeanFactory().registerSingleton("instanceClock", new InstanceClock(clock)))
			.run(args.toArray(String[]::new));
		this.instances.add(context);
		return context;
	}

	private ConfigurableApplicationContext instance(Clock clock, String... extra) {
		return instance(clock, redis.port(), extra);
	}

	private static String ask(ConfigurableApplicationContext instance) {
		return instance.getBean(ResilientChatClient.class)
			.call(new Prompt("Status?"))
			.getMetadata()
			.get(FallbackMetadata.SERVED_BY);
	}

	private static CircuitBreaker primary(ConfigurableApplicationContext instance) {
		return instance.getBean(ResilientChatClient.class).circuitBreaker("primary");
	}

	private static RedisFleetCircuitState fleet(ConfigurableApplicationContext instance) {
		return instance.getBean(RedisFleetCircuitState.class);
	}

	private static int primaryRequests() {
		return provider.findAll(requestsFor("primary-model")).size();
	}

	private static void primaryFails() {
		provider.stubFor(completion("primary-model").willReturn(aResponse().withStatus(503)));
		provider.stubFor(completion("secondary-model").willReturn(answer("secondary-model", "fine")));
	}

	private static void primaryWorks() {
		provider.stubFor(completion("primary-model").willReturn(answer("primary-model", "back")));
		provider.stubFor(completion("secondary-model").willReturn(answer("secondary-model", "fine")));
	}

	/** Asynchronous propagation: poll, bounded; never a fixed sleep as an assertion. */
	private static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
		Instant giveUp = Instant.now().plus(limit);
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(giveUp)) {
				throw new AssertionError("not within " + limit.toMillis() + " ms: " + what);
			}
			Thread.sleep(10);
		}
	}

	private static void await(String what, BooleanSupplier condition) throws InterruptedException {
		await(what, Duration.ofSeconds(10), condition);
	}

	private void open(ConfigurableApplicationContext instance) {
		primaryFails();
		assertThat(ask(instance)).isEqualTo("secondary");
		assertThat(ask(instance)).isEqualTo("secondary");
		assertThat(primary(instance).state()).isEqualTo(CircuitState.OPEN);
	}

	private void set(String key, byte[] value, Duration ttl) {
		plain.sync().set(key, new String(value, StandardCharsets.UTF_8), SetArgs.Builder.px(ttl.toMillis()));
	}

	// Writer without the secret: a forged record is no record.
	@Test
	void whenARecordIsForgedWithoutTheSecretThenNoInstanceFollowsIt() throws Exception {
		primaryWorks();
		ConfigurableApplicationContext b = instance(new MutableClock());
		byte[] forged = FleetInternals.openRecord("another-secret-of-at-least-32-bytes!!!",
				this.prefix + "circuit:primary", "forged", 30_000);

		set(this.prefix + "circuit:primary", forged, Duration.ofDays(3650));
		set(this.prefix + "retry-after:primary", forged, Duration.ofDays(3650));
		await("B reads and drops both records", () -> FleetInternals.rejectedRecords(fleet(b)) >= 2);

		assertThat(primary(b).isAvailable()).isTrue();
		assertThat(ask(b)).isEqualTo("primary");
		assertThat(primary(b).state()).isEqualTo(CircuitState.CLOSED);
	}

	// A holder of the secret (or a bug) writes ten years: the reader's own max-open-duration bounds it,
	// and the opening ends with the record.
	@Test
	void whenASignedRecordSaysTenYearsThenReadersOpenForTheirMaxOpenDurationAndNoLongerThanTheRecordLives()
			throws Exception {
		primaryWorks();
		MutableClock clock = new MutableClock();
		ConfigurableApplicationContext b = instance(clock);
		String key = this.prefix + "circuit:primary";
		set(key, FleetInternals.openRecord(SECRET, key, "ten-years", 30_000),
				Duration.ofDays(3650));

		await("B follows the record", () -> !primary(b).isAvailable());
		assertThat(ask(b)).isEqualTo("secondary");
		assertThat(primary(b).state()).isEqualTo(CircuitState.OPEN);
		assertThat(primary(b).snapshot().openUntil()).isEqualTo(clock.instant().plus(MAX_OPEN));
		plain.sync().del(key);

		await("B's opening ends with its record", () -> "primary".equals(ask(b)));
		assertThat(primary(b).state()).isEqualTo(CircuitState.CLOSED);
	}

	// A peer whose clock is an hour ahead: what it shares is a duration.
	@Test
	void whenTheOpenersClockRunsAnHourAheadThenTheOthersOpenForTheOpenDurationOnly() throws Exception {
		MutableClock bClock = new MutableClock();
		ConfigurableApplicationContext a = instance(Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
		ConfigurableApplicationContext b = instance(bClock);
		open(a);

		await("B follows A's opening", () -> !primary(b).isAvailable());
		assertThat(ask(b)).isEqualTo("secondary");

		Instant until = primary(b).snapshot().openUntil();
		assertThat(until).isAfter(bClock.instant().plusSeconds(25)).isBefore(bClock.instant().plusSeconds(31));
	}

	// The documented shared reset reaches an instance whose own circuit is open.
	@Test
	void whenAnOperatorResetsOneInstanceThenAnInstanceWhoseOwnCircuitIsOpenClosesToo() throws Exception {
		ConfigurableApplicationContext a = instance(new MutableClock());
		ConfigurableApplicationContext b = instance(new MutableClock());
		open(b);
		primaryWorks();
		assertThat(ask(b)).as("open on its own evidence").isEqualTo("secondary");

		primary(a).reset();

		await("B closes on A's reset", () -> "primary".equals(ask(b)));
		assertThat(primary(b).state()).isEqualTo(CircuitState.CLOSED);
		assertThat(primaryRequests()).as("B's two failures, then B's call after the reset").isEqualTo(3);
	}

	// A Retry-After sent to one instance holds for the others, on their own clocks.
	@Test
	void whenOneInstanceIsSentARetryAfterThenTheOthersSendNothingToThatProviderInsideIt() throws Exception {
		MutableClock bClock = new MutableClock();
		ConfigurableApplicationContext a = instance(new MutableClock(),
				"--ai.fallback.circuit-breaker.failure-threshold=5");
		ConfigurableApplicationContext b = instance(bClock, "--ai.fallback.circuit-breaker.failure-threshold=5");
		provider.stubFor(completion("primary-model").willReturn(
				OpenAiStubs.error(429, "rate_limit_exceeded", "rate_limit_exceeded").withHeader("Retry-After", "8")));
		provider.stubFor(completion("secondary-model").willReturn(answer("secondary-model", "fine")));
		assertThat(ask(a)).isEqualTo("secondary");
		await("B hears the Retry-After", () -> !primary(b).isAvailable());

		for (int i = 0; i < 10; i++) {
			assertThat(ask(b)).isEqualTo("secondary");
		}

		assertThat(primaryRequests()).as("only A's one request, inside the 8 s").isEqualTo(1);
		primaryWorks();
		bClock.advance(Duration.ofSeconds(8));
		assertThat(ask(b)).isEqualTo("primary");
	}

	// A Redis that accepts and never answers: SIGSTOP on a live connection.
	@Test
	void whenRedisHangsThenTheLinkIsDownWithinRefreshPlusTimeoutAndCallsAreServed() throws Exception {
		primaryWorks();
		LocalRedis doomed = LocalRedis.start();
		try {
			ConfigurableApplicationContext a = instance(new MutableClock(), doomed.port(),
					"--ai.fallback.fleet.timeout=100ms", "--ai.fallback.fleet.refresh-interval=200ms");
			await("A's first exchange", () -> fleet(a).isUp());

			doomed.hang();

			// refresh (200 ms) + timeout (100 ms), with slack for a loaded machine; the client's own
			// command timeout is 60 s.
			await("A's link reads down", Duration.ofSeconds(3), () -> !fleet(a).isUp());
			assertThat(linkGauge(a)).isEqualTo(0.0);
			assertThat(fleetHealth(a)).isEqualTo("down");
			assertThat(ask(a)).isEqualTo("primary");
		}
		finally {
			doomed.close();
		}
	}

	// A socket that accepts and never answers, from the start: the link never reads up.
	@Test
	void whenRedisNeverAnswersThenTheLinkNeverReadsUpAndCallsAreServed() throws Exception {
		primaryWorks();
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
			List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
			Thread acceptor = new Thread(() -> {
				while (!silent.isClosed()) {
					try {
						accepted.add(silent.accept());
					}
					catch (java.io.IOException closed) {
						return;
					}
				}
			});
			acceptor.setDaemon(true);
			acceptor.start();
			ConfigurableApplicationContext a = instance(new MutableClock(), silent.getLocalPort(),
					"--ai.fallback.fleet.timeout=100ms", "--ai.fallback.fleet.refresh-interval=200ms");

			await("the fleet connects to the silent socket", () -> !accepted.isEmpty());
			for (int i = 0; i < 5; i++) {
				assertThat(fleet(a).isUp()).isFalse();
				assertThat(ask(a)).isEqualTo("primary");
				Thread.sleep(100);
			}
			assertThat(fleetHealth(a)).isEqualTo("down");
			for (Socket socket : accepted) {
				socket.close();
			}
		}
	}

	// SIGKILL: the client learns nothing from the socket; the bound on each exchange is what tells.
	@Test
	void whenRedisIsKilledThenTheLinkIsDownWithinRefreshPlusTimeout() throws Exception {
		primaryWorks();
		LocalRedis doomed = LocalRedis.start();
		ConfigurableApplicationContext a = instance(new MutableClock(), doomed.port(),
				"--ai.fallback.fleet.timeout=100ms", "--ai.fallback.fleet.refresh-interval=200ms");
		await("A's first exchange", () -> fleet(a).isUp());

		doomed.kill();

		await("A's link reads down", Duration.ofSeconds(3), () -> !fleet(a).isUp());
		assertThat(fleetHealth(a)).isEqualTo("down");
		assertThat(linkGauge(a)).isEqualTo(0.0);
		assertThat(ask(a)).isEqualTo("primary");
	}

	// One probe per open period for the whole fleet, on real clocks and real timing.
	@Test
	void whenThreeInstancesShareAnOpeningThenTheFleetSendsOneProbeWhenItEnds() throws Exception {
		String[] fast = { "--ai.fallback.circuit-breaker.open-duration=1s", "--ai.fallback.fleet.probe-lease=5s" };
		ConfigurableApplicationContext a = instance(Clock.systemUTC(), fast);
		ConfigurableApplicationContext b = instance(Clock.systemUTC(), fast);
		ConfigurableApplicationContext c = instance(Clock.systemUTC(), fast);
		open(a);
		await("B and C follow A's opening", () -> !primary(b).isAvailable() && !primary(c).isAvailable());

		await("the probe reaches the primary", () -> {
			ask(a);
			ask(b);
			ask(c);
			return primaryRequests() > 2;
		});
		// The failed probe reopened the circuit for 2 s: keep all three calling for 1.5 s of it.
		Instant stop = Instant.now().plusMillis(1500);
		while (Instant.now().isBefore(stop)) {
			ask(a);
			ask(b);
			ask(c);
		}

		assertThat(primaryRequests()).as("two openings on A, then one probe for the fleet").isEqualTo(3);
	}

	// The lease is taken ahead by instances with traffic: a low-traffic instance's first ask probes.
	@Test
	void whenOnlyALowTrafficInstanceAsksAfterTheOpeningThenItsFirstAskProbes() throws Exception {
		String[] fast = { "--ai.fallback.circuit-breaker.open-duration=2s", "--ai.fallback.fleet.probe-lease=1s",
				"--ai.fallback.fleet.timeout=100ms" };
		ConfigurableApplicationContext a = instance(Clock.systemUTC(), fast);
		ConfigurableApplicationContext c = instance(Clock.systemUTC(), fast);
		open(a);
		await("C follows A's opening", () -> !primary(c).isAvailable());
		assertThat(ask(c)).isEqualTo("secondary");
		Instant until = primary(c).snapshot().openUntil();
		await("A's last call is older than one probe lease", () -> Instant.now().isAfter(until.minusMillis(900)));
		assertThat(ask(c)).as("another call during the opening").isEqualTo("secondary");
		primaryWorks();
		await("the opening ended and C took the lease", () -> Instant.now().isAfter(until.plusMillis(300)));

		assertThat(ask(c)).as("C's first ask after the opening is the fleet's probe").isEqualTo("primary");
		assertThat(primaryRequests()).isEqualTo(3);
	}

	private static double linkGauge(ConfigurableApplicationContext instance) {
		Gauge gauge = instance.getBean(MeterRegistry.class).find("ai.fallback.fleet.link").gauge();
		return (gauge != null) ? gauge.value() : -1;
	}

	private static Object fleetHealth(ConfigurableApplicationContext instance) {
		HealthIndicator primary = (HealthIndicator) instance.getBean(FallbackHealthContributor.class)
			.getContributor("primary");
		return primary.health().getDetails().get("fleet");
	}

	/** This instance's clock, registered before the context starts. */
	record InstanceClock(Clock clock) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		ResilientChatClientCustomizer instanceClockCustomizer(ObjectProvider<InstanceClock> clock) {
			return (builder) -> builder.clock(clock.getObject().clock());
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}

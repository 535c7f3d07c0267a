package io.github.aifallback.actuate;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.jayway.jsonpath.JsonPath;
import io.github.aifallback.autoconfigure.FallbackAutoConfiguration;
import io.github.aifallback.chat.AllModelsFailedException;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitState;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code aiFallback} health contributor, read through Boot's real health endpoint and
 * its default status aggregation.
 */
class FallbackHealthContributorAutoConfigurationTests {

	private static final String SECRET = "canary-secret-5b7e1d";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class,
				FallbackHealthContributorAutoConfiguration.class, EndpointAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
				HealthEndpointAutoConfiguration.class))
		.withBean(FakeChain.class, () -> new FakeChain("primary", "secondary", "tertiary"))
		.withPropertyValues("spring.ai.openai.api-key=" + SECRET,
				"spring.ai.openai.base-url=http://127.0.0.1:9/secret-path/v1", "ai.fallback.chain[0].model=configured",
				"ai.fallback.retry.max-attempts=1", "ai.fallback.circuit-breaker.failure-threshold=2",
				"ai.fallback.circuit-breaker.open-duration=30s", "management.endpoint.health.show-details=always");

	@Test
	void whenAChainIsConfiguredThenAiFallbackHasOneUpChildPerEntryInChainOrder() {
		this.runner.run((context) -> {
			CompositeHealthDescriptor aiFallback = (CompositeHealthDescriptor) health(context, "aiFallback");

			assertThat(aiFallback.getStatus()).isEqualTo(Status.UP);
			assertThat(aiFallback.getComponents().keySet()).containsExactly("primary", "secondary", "tertiary");
			assertThat(details(context, "primary")).containsEntry("model", "model-primary")
				.containsEntry("circuitState", "CLOSED")
				.containsEntry("consecutiveFailures", 0)
				.containsEntry("successes", 0L)
				.containsEntry("failures", 0L);
		});
	}

	@Test
	void whenOneCircuitOpensThenItsEntryReportsUnknownAndTheApplicationStaysUp() {
		this.runner.run((context) -> {
			FakeChain chain = context.getBean(FakeChain.class);
			chain.model("primary").failing = FailureKind.SERVER_ERROR;
			call(context);
			call(context);

			assertThat(health(context, "aiFallback", "primary").getStatus()).isEqualTo(Status.UNKNOWN);
			assertThat(details(context, "primary")).containsEntry("circuitState", "OPEN")
				.containsEntry("consecutiveFailures", 2)
				.containsEntry("failures", 2L)
				.containsEntry("lastFailureKind", "SERVER_ERROR")
				.containsEntry("lastFailure", chain.clock.instant().toString())
				.containsEntry("openUntil", chain.clock.instant().plus(Duration.ofSeconds(30)).toString());
			assertThat(details(context, "secondary")).containsEntry("successes", 2L)
				.containsKey("lastSuccess")
				.doesNotContainKeys("lastFailure", "openUntil");
			assertThat(health(context, "aiFallback").getStatus()).isEqualTo(Status.UP);
			assertThat(context.getBean(HealthEndpoint.class).health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void whenAnEntryIsHalfOpenThenItReportsUp() {
		this.runner.run((context) -> {
			FakeChain chain = context.getBean(FakeChain.class);
			chain.model("primary").failing = FailureKind.SERVER_ERROR;
			call(context);
			call(context);
			chain.clock.advance(Duration.ofSeconds(30));
			chain.model("primary").failing = null;
			AtomicReference<HealthDescriptor> duringProbe = new AtomicReference<>();
			chain.model("primary").duringCall = () -> duringProbe.set(health(context, "aiFallback", "primary"));

			call(context);

			assertThat(duringProbe.get().getStatus()).isEqualTo(Status.UP);
			assertThat(((IndicatedHealthDescriptor) duringProbe.get()).getDetails()).containsEntry("circuitState",
					"HALF_OPEN");
		});
	}

	@Test
	void whenEveryCircuitIsOpenThenEveryEntryAndTheApplicationAreDown() {
		this.runner.run((context) -> {
			context.getBean(ResilientChatClient.class).getCircuitBreakers().forEach((breaker) -> breaker.forceOpen());

			assertThat(health(context, "aiFallback", "primary").getStatus()).isEqualTo(Status.DOWN);
			assertThat(details(context, "tertiary")).containsEntry("circuitState", "FORCED_OPEN");
			assertThat(context.getBean(HealthEndpoint.class).health().getStatus()).isEqualTo(Status.DOWN);
		});
	}

	@Test
	void whenEveryCircuitIsOpenButAProbeIsDueThenTheApplicationIsUpAgainSoTrafficCanProbe() {
		this.runner.withPropertyValues("ai.fallback.circuit-breaker.failure-threshold=5",
				"ai.fallback.panic.enabled=false").run((context) -> {
			FakeChain chain = context.getBean(FakeChain.class);
			chain.model("primary").failing = FailureKind.SERVER_ERROR;
			chain.model("secondary").failing = FailureKind.SERVER_ERROR;
			chain.model("tertiary").failing = FailureKind.SERVER_ERROR;
			for (int i = 0; i < 5; i++) {
				call(context);
			}
			assertThat(context.getBean(ResilientChatClient.class).getCircuitBreakers())
				.allSatisfy((breaker) -> assertThat(breaker.state()).isEqualTo(CircuitState.OPEN));
			assertThat(context.getBean(HealthEndpoint.class).health().getStatus()).isEqualTo(Status.DOWN);

			chain.clock.advance(Duration.ofSeconds(30));

			assertThat(health(context, "aiFallback", "primary").getStatus()).isEqualTo(Status.UNKNOWN);
			assertThat(details(context, "primary")).containsEntry("circuitState", "OPEN");
			assertThat(context.getBean(HealthEndpoint.class).health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void whenEveryCircuitIsOpenOnInferredEvidenceThenTheChainPanicsAndTheApplicationStaysUp() {
		this.runner.withPropertyValues("ai.fallback.circuit-breaker.failure-threshold=5").run((context) -> {
			FakeChain chain = context.getBean(FakeChain.class);
			chain.model("primary").failing = FailureKind.SERVER_ERROR;
			chain.model("secondary").failing = FailureKind.SERVER_ERROR;
			chain.model("tertiary").failing = FailureKind.SERVER_ERROR;
			for (int i = 0; i < 5; i++) {
				call(context);
			}
			assertThat(context.getBean(ResilientChatClient.class).getCircuitBreakers())
				.allSatisfy((breaker) -> assertThat(breaker.state()).isEqualTo(CircuitState.OPEN));

			assertThat(details(context, "primary")).containsEntry("chainPanic", true)
				.containsEntry("keptOutBy", "INFERRED");
			assertThat(health(context, "aiFallback", "primary").getStatus()).as("open, while the chain still serves")
				.isEqualTo(Status.UNKNOWN);
			assertThat(context.getBean(HealthEndpoint.class).health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void whenOpenStatusIsConfiguredThenAnOpenEntryReportsIt() {
		this.runner.withPropertyValues("ai.fallback.health.open-status=out_of_service").run((context) -> {
			context.getBean(ResilientChatClient.class).circuitBreaker("secondary").forceOpen();

			assertThat(health(context, "aiFallback", "secondary").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(context.getBean(HealthEndpoint.class).health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		});
	}

	@Test
	void whenAllOpenStatusIsConfiguredThenEveryEntryReportsItOnceNoneCanServe() {
		this.runner.withPropertyValues("ai.fallback.health.all-open-status=OUT_OF_SERVICE").run((context) -> {
			context.getBean(ResilientChatClient.class).getCircuitBreakers().forEach((breaker) -> breaker.forceOpen());

			assertThat(health(context, "aiFallback").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		});
	}

	@Test
	void whenHealthIsReadThenNoCallIsMadeAndNoKeyOrUrlIsShown() {
		this.runner.run((context) -> {
			FakeChain chain = context.getBean(FakeChain.class);
			HealthDescriptor all = context.getBean(HealthEndpoint.class).health();

			assertThat(chain.model("primary").calls).hasValue(0);
			assertThat(details(context, "primary")).containsOnlyKeys("model", "circuitState", "consecutiveFailures",
					"successes", "failures", "chainPanic");
			assertThat(all.toString()).doesNotContain(SECRET).doesNotContain("secret-path");
		});
	}

	@Test
	void whenTheHealthIndicatorIsDisabledThenThereIsNoContributor() {
		this.runner.withPropertyValues("management.health.aifallback.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ResilientChatClient.class)
				.doesNotHaveBean(FallbackHealthContributor.class));
	}

	@Test
	void whenThereIsNoResilientChatClientThenThereIsNoContributor() {
		this.runner.withPropertyValues("ai.fallback.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(FallbackHealthContributor.class));
	}

	@Test
	void whenSpringBootHealthIsMissingThenTheClientStartsWithoutAContributor() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthContributor.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ResilientChatClient.class)
				.doesNotHaveBean(FallbackHealthContributor.class));
	}

	@Test
	void whenTheApplicationDefinesItsOwnContributorThenTheAutoConfigurationBacksOff() {
		this.runner
			.withBean("aiFallbackHealthContributor", HealthContributor.class,
					() -> (org.springframework.boot.health.contributor.HealthIndicator) () -> null)
			.run((context) -> assertThat(context).doesNotHaveBean(FallbackHealthContributor.class));
	}

	@Test
	void whenMetadataIsGeneratedThenTheHealthPropertiesAreDescribed() throws Exception {
		List<Map<String, Object>> properties;
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			properties = JsonPath.parse(in).read("$.properties[?(@.name =~ /ai\\.fallback\\.health\\..*/)]");
		}

		assertThat(properties).extracting((property) -> property.get("name"))
			.containsExactlyInAnyOrder("ai.fallback.health.open-status", "ai.fallback.health.all-open-status");
		assertThat(properties).extracting((property) -> property.get("defaultValue"))
			.containsExactlyInAnyOrder("UNKNOWN", "DOWN");
		assertThat(properties).allSatisfy(
				(property) -> assertThat((String) property.get("description")).as("%s", property).isNotBlank());
	}

	private static void call(AssertableApplicationContext context) {
		try {
			context.getBean(ResilientChatClient.class).call(new Prompt("hello"));
		}
		catch (AllModelsFailedException ex) {
			// Some scenarios fail every entry on purpose.
		}
	}

	private static HealthDescriptor health(AssertableApplicationContext context, String... path) {
		return context.getBean(HealthEndpoint.class).healthForPath(path);
	}

	private static Map<String, Object> details(AssertableApplicationContext context, String entry) {
		return ((IndicatedHealthDescriptor) health(context, "aiFallback", entry)).getDetails();
	}

}

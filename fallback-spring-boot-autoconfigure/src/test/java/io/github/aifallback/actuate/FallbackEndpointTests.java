package io.github.aifallback.actuate;

import java.time.Duration;

import io.github.aifallback.actuate.FallbackEndpoint.EntryDescriptor;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.RetrySettings;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.circuit.CircuitState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The {@code aifallback} endpoint's operations, on a client of fake entries.
 */
@ExtendWith(OutputCaptureExtension.class)
class FallbackEndpointTests {

	private final FakeChain chain = new FakeChain("primary", "secondary");

	private final ResilientChatClient client = client(this.chain);

	private final FallbackEndpoint endpoint = new FallbackEndpoint(this.client);

	@Test
	void whenReadThenTheChainIsListedInOrderWithEachCircuit() {
		this.chain.model("primary").failing = FailureKind.SERVER_ERROR;
		this.client.call(new Prompt("hello"));
		this.client.call(new Prompt("hello"));

		assertThat(this.endpoint.chain().entries()).extracting(EntryDescriptor::name, EntryDescriptor::model,
				EntryDescriptor::circuitState, EntryDescriptor::consecutiveFailures, EntryDescriptor::successes,
				EntryDescriptor::failures)
			.containsExactly(
					tuple("primary", "model-primary", "OPEN", 2, 0L, 2L),
					tuple("secondary", "model-secondary", "CLOSED", 0, 2L, 0L));
		EntryDescriptor primary = this.endpoint.chain().entries().get(0);
		assertThat(primary.lastFailureKind()).isEqualTo("SERVER_ERROR");
		assertThat(primary.openUntil()).isEqualTo(this.chain.clock.instant().plus(Duration.ofSeconds(30)).toString());
		assertThat(primary.lastSuccess()).isNull();
	}

	@Test
	void whenNothingGrantsWritesThenTheEndpointIsReadOnly() {
		assertThat(FallbackEndpoint.class.getAnnotation(Endpoint.class).defaultAccess()).isEqualTo(Access.READ_ONLY);
	}

	@Test
	void whenAnOperatorChangesAnEntryThenTheChangeIsLogged(CapturedOutput output) {
		this.endpoint.changeState("primary", "open");
		this.endpoint.changeState("primary", "closed");

		assertThat(output).contains("an operator set the circuit of 'primary' to FORCED_OPEN")
			.contains("an operator set the circuit of 'primary' to CLOSED");
	}

	@Test
	void whenAnEntryIsSetOpenThenItIsForcedOutOfRotation() {
		EntryDescriptor primary = this.endpoint.changeState("primary", "open");

		assertThat(primary.circuitState()).isEqualTo("FORCED_OPEN");
		assertThat(this.client.circuitBreaker("primary").state()).isEqualTo(CircuitState.FORCED_OPEN);
		this.client.call(new Prompt("hello"));
		assertThat(this.chain.model("primary").calls).hasValue(0);
	}

	@Test
	void whenAnEntryIsSetClosedThenItServesAgainWithItsCountersReset() {
		this.chain.model("primary").failing = FailureKind.SERVER_ERROR;
		this.client.call(new Prompt("hello"));
		this.client.call(new Prompt("hello"));
		this.chain.model("primary").failing = null;

		EntryDescriptor primary = this.endpoint.changeState("primary", " Closed ");

		assertThat(primary).extracting(EntryDescriptor::circuitState, EntryDescriptor::consecutiveFailures,
				EntryDescriptor::failures, EntryDescriptor::openUntil)
			.containsExactly("CLOSED", 0, 0L, null);
		assertThat(this.client.call(new Prompt("hello")).getResult().getOutput().getText()).isEqualTo("from primary");
	}

	@Test
	void whenTheEntryIsUnknownThenTheRequestIsInvalidAndNamesTheChain() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.changeState("nope", "open"))
			.satisfies((ex) -> assertThat(ex.getReason())
				.isEqualTo("Unknown chain entry 'nope'; the chain is [primary, secondary]"));
	}

	@Test
	void whenTheStateIsUnknownThenTheRequestIsInvalidAndNothingChanges() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.changeState("primary", "half_open"))
			.satisfies((ex) -> assertThat(ex.getReason()).contains("'half_open'").contains("\"open\" or \"closed\""));
		assertThat(this.client.circuitBreaker("primary").state()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void whenTheStateIsMissingThenTheRequestIsInvalidAndSaysWhatToSend() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.changeState("primary", null))
			.satisfies((ex) -> assertThat(ex.getReason()).contains("Missing \"state\""));
	}

	private static ResilientChatClient client(FakeChain chain) {
		ResilientChatClient.Builder builder = ResilientChatClient.builder()
			.entry(ChainEntry.of("placeholder", "placeholder", (prompt, timeout) -> null))
			.retry(RetrySettings.custom().maxAttempts(1).build())
			.circuitBreaker(new CircuitBreakerSettings(2, Duration.ofSeconds(30), Duration.ofMinutes(5)));
		chain.customize(builder);
		return builder.build();
	}

}

package io.github.aifallback.chat.deployment;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.circuit.CircuitState;
import io.github.aifallback.chat.event.CircuitStateChangedEvent;
import io.github.aifallback.chat.event.FallbackEvent;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deployment's circuit is the client's business too: its changes reach the listeners of
 * every open client built on the entry (metrics, the dashboard, the application's events),
 * and no longer those of a closed one.
 */
class DeploymentEventsTests {

	private final List<FallbackEvent> events = new CopyOnWriteArrayList<>();

	private final EntryModel down = (prompt, timeout) -> {
		throw new UncheckedIOException(new ConnectException("refused"));
	};

	private final EntryModel up = (prompt, timeout) -> new ChatResponse(
			List.of(new Generation(new AssistantMessage("ok"))));

	private DeploymentsEntryModel deployments() {
		return DeploymentsEntryModel.builder("primary")
			.circuitBreaker(new CircuitBreakerSettings(1, Duration.ofMinutes(1), Duration.ofMinutes(5)))
			.deployment(new Deployment("deployment-0", null, this.down, 1, null))
			.deployment(new Deployment("deployment-1", null, this.up, 1, null))
			.build();
	}

	private ResilientChatClient client(DeploymentsEntryModel model) {
		return ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "m", model))
			.entry(ChainEntry.of("secondary", "m2", this.up))
			.listener(this.events::add)
			.build();
	}

	@Test
	void whenADeploymentsCircuitOpensThenTheClientsListenersHearOfIt() {
		DeploymentsEntryModel model = deployments();
		try (ResilientChatClient client = client(model)) {
			for (int i = 0; i < 2; i++) {
				client.call("hello");
			}
		}

		assertThat(this.events).filteredOn(CircuitStateChangedEvent.class::isInstance)
			.map(CircuitStateChangedEvent.class::cast)
			.extracting(CircuitStateChangedEvent::entry, CircuitStateChangedEvent::to)
			.contains(org.assertj.core.groups.Tuple.tuple("primary#0", CircuitState.OPEN));
	}

	@Test
	void whenTheClientIsClosedThenItsListenersHearNoMoreOfTheEntrysCircuits() {
		DeploymentsEntryModel model = deployments();
		ResilientChatClient closed = client(model);
		closed.close();
		try (ResilientChatClient open = ResilientChatClient.builder()
			.entry(ChainEntry.of("primary", "m", model))
			.build()) {
			for (int i = 0; i < 2; i++) {
				open.call("hello");
			}
		}

		assertThat(model.circuitBreakers().get(0).state()).isEqualTo(CircuitState.OPEN);
		assertThat(this.events).noneMatch(CircuitStateChangedEvent.class::isInstance);
	}

}

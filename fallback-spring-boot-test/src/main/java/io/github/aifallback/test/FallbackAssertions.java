package io.github.aifallback.test;

import io.github.aifallback.chat.ResilientChatClient;

import org.springframework.ai.chat.model.ChatResponse;

/**
 * Entry point of the kit's AssertJ assertions; import its methods statically next to
 * AssertJ's own.
 *
 * @since 0.1.0
 */
public final class FallbackAssertions {

	private FallbackAssertions() {
	}

	/**
	 * Assertions on what the chain did for one response.
	 * @param response the response
	 * @return the assertions
	 */
	public static FallbackResponseAssert assertThat(ChatResponse response) {
		return new FallbackResponseAssert(response);
	}

	/**
	 * Assertions on a chain's circuits.
	 * @param client the client
	 * @return the assertions
	 */
	public static ChainAssert assertThat(ResilientChatClient client) {
		return new ChainAssert(client);
	}

	/**
	 * Assertions on the requests a simulator received.
	 * @param simulator the simulator
	 * @return the assertions
	 */
	public static SimulatorAssert assertThat(FallbackSimulator simulator) {
		return new SimulatorAssert(simulator);
	}

}

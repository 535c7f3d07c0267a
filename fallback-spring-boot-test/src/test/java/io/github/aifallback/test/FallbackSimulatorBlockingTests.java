package io.github.aifallback.test;

import java.time.Duration;

import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.Test;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.beans.factory.annotation.Autowired;

import static io.github.aifallback.test.FallbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blocking calls through the real starter, the real Spring AI clients and real HTTP to the
 * simulator: each scripted failure reaches the chain as the failure kind it stands for.
 */
@FallbackTest(classes = KitTestApplication.class)
class FallbackSimulatorBlockingTests {

	@Autowired
	ResilientChatClient client;

	@Test
	void whenPrimaryFailsWithServerErrorsThenTheAnthropicEntryServes(FallbackSimulator simulator) {
		simulator.entry("primary").failNext(2).serverError();
		simulator.entry("claude").answer("from claude");

		ChatResponse response = this.client.call(new Prompt("server errors"));

		assertThat(response.getResult().getOutput().getText()).isEqualTo("from claude");
		assertThat(response).isServedBy("claude")
			.isNotDegraded()
			.isNotHedged()
			.hasFailedAttemptsOn("primary", "primary")
			.hasFailedAttemptKinds(FailureKind.SERVER_ERROR, FailureKind.SERVER_ERROR);
		assertThat(simulator).hasReceived("primary", 2).hasReceived("claude", 1).hasReceivedNothing("tertiary-model");
		assertThat(simulator.requestBodies("claude")).singleElement().asString().contains("\"model\":\"claude-x\"");
	}

	@Test
	void whenPrimaryIsRateLimitedWithRetryAfterThenTheChainWaitsOnTheClockAndRetries(FallbackSimulator simulator,
			FallbackTestClock clock) {
		simulator.entry("primary").failNext(1).withStatus(429).retryAfter(Duration.ofSeconds(1));

		ChatResponse response = this.client.call(new Prompt("rate limited"));

		assertThat(response).isServedBy("primary").hasFailedAttemptKinds(FailureKind.RATE_LIMITED);
		assertThat(clock.waits()).containsExactly(Duration.ofSeconds(1));
		assertThat(simulator).hasReceived("primary", 2);
	}

	/** The README's example, on this chain: a Retry-After beyond max-interval is not waited for. */
	@Test
	void whenPrimaryIsRateLimitedForAMinuteThenTheFallbackServesAtOnce(FallbackSimulator simulator,
			FallbackTestClock clock) {
		simulator.entry("primary").failNext(1).withStatus(429).retryAfter(Duration.ofMinutes(1));

		ChatResponse response = this.client.call(new Prompt("Hello"));

		assertThat(response).isServedBy("claude").hasFailedAttemptKinds(FailureKind.RATE_LIMITED);
		assertThat(simulator).hasReceived("primary", 1).hasReceived("claude", 1);
		assertThat(clock.waits()).isEmpty();
	}

	@Test
	void whenTheAnthropicEntryHasNoQuotaLeftThenItIsNotRetried(FallbackSimulator simulator) {
		simulator.entry("primary").failAlways().authFailure();
		simulator.entry("claude").failNext(1).quotaExhausted();

		ChatResponse response = this.client.call(new Prompt("no quota"));

		assertThat(response).isServedBy("tertiary-model")
			.hasFailedAttemptKinds(FailureKind.AUTH, FailureKind.QUOTA_EXHAUSTED);
		assertThat(response.getResult().getOutput().getText()).isEqualTo("Simulated answer from tertiary-model.");
		assertThat(simulator).hasReceived("primary", 1).hasReceived("claude", 1).hasReceived("tertiary-model", 1);
	}

	@Test
	void whenOpenAiQuotaIsExhaustedAndAnthropicRefusesThenTheKindsSaySo(FallbackSimulator simulator) {
		simulator.entry("primary").failNext(1).quotaExhausted();
		simulator.entry("claude").failNext(1).refuse();

		ChatResponse response = this.client.call(new Prompt("refused"));

		assertThat(response).isServedBy("tertiary-model")
			.hasFailedAttemptKinds(FailureKind.QUOTA_EXHAUSTED, FailureKind.REFUSED);
	}

	@Test
	void whenOpenAiRefusesThenTheNextEntryServes(FallbackSimulator simulator) {
		simulator.entry("primary").failNext(1).refuse();

		assertThat(this.client.call(new Prompt("openai refusal"))).isServedBy("claude")
			.hasFailedAttemptKinds(FailureKind.REFUSED);
	}

	@Test
	void whenPrimaryKeepsFailingThenItsCircuitOpensAndTheClockClosesIt(FallbackSimulator simulator,
			FallbackTestClock clock) {
		simulator.entry("primary").failAlways().serverError();
		assertThat(this.client.call(new Prompt("circuit 1"))).isServedBy("claude");
		assertThat(this.client).circuit("primary").isOpen();
		assertThat(this.client).circuit("claude").isClosed();

		assertThat(this.client.call(new Prompt("circuit 2"))).isServedBy("claude").hasNoFailedAttempts();
		assertThat(simulator).as("an open circuit sends nothing").hasReceived("primary", 2);

		simulator.reset();
		clock.advance(Duration.ofSeconds(31));
		// Half-open: the permitted calls (3 by default) close it when they answer.
		for (int i = 0; i < 3; i++) {
			assertThat(this.client.call(new Prompt("circuit 3." + i))).isServedBy("primary");
		}
		assertThat(this.client).circuit("primary").isClosed();
	}

	@Test
	void whenEveryEntryFailsThenTheLastGoodAnswerIsServedDegraded(FallbackSimulator simulator) {
		Prompt prompt = new Prompt("degraded");
		assertThat(this.client.call(prompt)).isServedBy("primary").isNotDegraded();
		simulator.entry("primary").failAlways().serverError();
		simulator.entry("claude").failAlways().withStatus(529);
		simulator.entry("tertiary-model").failAlways().withStatus(503);

		ChatResponse response = this.client.call(prompt);

		assertThat(response).isServedBy("cache").isDegraded();
		assertThat(response.getResult().getOutput().getText()).isEqualTo("Simulated answer from primary.");
	}

	@Test
	void whenTheLastEntryHangsThenItsAttemptTimesOut(FallbackSimulator simulator) {
		simulator.entry("primary").failAlways().serverError();
		simulator.entry("claude").failAlways().serverError();
		simulator.entry("tertiary-model").failNext(1).hang();
		assertThat(this.client.getEntries().get(2).timeout()).isEqualTo(Duration.ofSeconds(1));

		ChatResponse response = this.client.call(new Prompt("hang"));

		assertThat(response).isServedBy("tertiary-model");
		assertThat(response.getMetadata().<Object>get("ai.fallback.failed-attempts").toString())
			.contains("tertiary-model attempt 1/2: TIMEOUT");
	}

	@Test
	void whenABlockingBodyIsCutThenTheAnswerIsInvalidAndTheNextEntryServes(FallbackSimulator simulator) {
		simulator.entry("primary").failNext(1).cutStreamAfter(3);

		ChatResponse response = this.client.call(new Prompt("cut body"));

		assertThat(response).isServedBy("claude").hasFailedAttemptKinds(FailureKind.INVALID_RESPONSE);
		assertThat(simulator).hasReceived("primary", 1);
	}

}

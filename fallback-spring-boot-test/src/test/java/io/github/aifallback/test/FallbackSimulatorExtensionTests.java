package io.github.aifallback.test;

import java.time.Clock;

import io.github.aifallback.chat.ResilientChatClient;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

import static io.github.aifallback.test.FallbackAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the extension does between the tests of one shared context, and how the kit's clock
 * lives next to an application's own {@link Clock} bean.
 */
@FallbackTest(classes = FallbackSimulatorExtensionTests.ApplicationWithAClock.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FallbackSimulatorExtensionTests {

	@Autowired
	ResilientChatClient client;

	@Autowired
	Clock applicationClock;

	@Autowired
	@Qualifier(FallbackTestClock.BEAN_NAME)
	FallbackTestClock testClock;

	@Test
	@Order(1)
	void whenATestLeavesAFailingScriptAndAnOpenCircuit(FallbackSimulator simulator, FallbackTestClock clock) {
		simulator.entry("primary").failAlways().serverError();
		this.client.call(new Prompt("first test"));

		assertThat(this.client).circuit("primary").isOpen();
		assertThat(clock.waits()).isNotEmpty();
	}

	@Test
	@Order(2)
	void thenTheNextTestStartsWithNoScriptNoWaitsAndClosedCircuits(FallbackSimulator simulator,
			FallbackTestClock clock) {
		assertThat(this.client).circuit("primary").isClosed();
		assertThat(clock.waits()).isEmpty();
		assertThat(simulator).hasReceivedNothing("primary");

		assertThat(this.client.call(new Prompt("second test"))).isServedBy("primary");
	}

	@Test
	@Order(3)
	void whenTheApplicationHasItsOwnClockThenItsCodeStillGetsIt(FallbackTestClock clock) {
		assertThat(this.applicationClock).isSameAs(ApplicationWithAClock.CLOCK);
		assertThat(this.testClock).isSameAs(clock);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ApplicationWithAClock {

		static final Clock CLOCK = Clock.systemUTC();

		@Bean
		Clock applicationClock() {
			return CLOCK;
		}

	}

}

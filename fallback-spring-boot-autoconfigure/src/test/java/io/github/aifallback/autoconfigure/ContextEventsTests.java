package io.github.aifallback.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.aifallback.chat.event.AttemptSucceededEvent;
import io.github.aifallback.chat.event.CallNotPermittedEvent;
import io.github.aifallback.chat.event.FallbackEvent;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's events reach the application's listeners as {@code publishEvent} would send
 * them: by their type, whether the context runs (straight to its multicaster) or not yet,
 * and a parent context's listeners too.
 */
class ContextEventsTests {

	private static final AttemptSucceededEvent SUCCEEDED = new AttemptSucceededEvent("primary", 1,
			Duration.ofMillis(3), Instant.EPOCH);

	@Test
	void whenTheContextRunsThenListenersOfTheEventsTypeGetItAndOthersDoNot() {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(Listeners.class)) {
			ContextEvents events = new ContextEvents(context);
			events.onEvent(SUCCEEDED);
			events.onEvent(SUCCEEDED);
			Listeners listeners = context.getBean(Listeners.class);
			assertThat(listeners.succeeded).containsExactly(SUCCEEDED, SUCCEEDED);
			assertThat(listeners.any).containsExactly(SUCCEEDED, SUCCEEDED);
			assertThat(listeners.notPermitted).isEmpty();
		}
	}

	@Test
	void whenTheContextHasAParentThenTheParentsListenersGetTheEventToo() {
		try (AnnotationConfigApplicationContext parent = new AnnotationConfigApplicationContext(Listeners.class);
				AnnotationConfigApplicationContext child = new AnnotationConfigApplicationContext()) {
			child.setParent(parent);
			child.register(Listeners.class);
			child.refresh();
			new ContextEvents(child).onEvent(SUCCEEDED);
			assertThat(parent.getBean(Listeners.class).succeeded).containsExactly(SUCCEEDED);
			assertThat(child.getBean(Listeners.class).succeeded).containsExactly(SUCCEEDED);
		}
	}

	@Test
	void whenTheContextDoesNotRunYetThenTheEventGoesThroughPublishEvent() {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(Listeners.class)) {
			context.stop();
			new ContextEvents(context).onEvent(SUCCEEDED);
			assertThat(context.getBean(Listeners.class).succeeded).containsExactly(SUCCEEDED);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final List<AttemptSucceededEvent> succeeded = new ArrayList<>();

		final List<FallbackEvent> any = new ArrayList<>();

		final List<CallNotPermittedEvent> notPermitted = new ArrayList<>();

		@Bean
		static String marker() {
			return "listeners";
		}

		@EventListener
		void onSucceeded(AttemptSucceededEvent event) {
			this.succeeded.add(event);
		}

		@EventListener
		void onAny(FallbackEvent event) {
			this.any.add(event);
		}

		@EventListener
		void onNotPermitted(CallNotPermittedEvent event) {
			this.notPermitted.add(event);
		}

	}

}

package io.github.aifallback.autoconfigure;

import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.event.FallbackEventListener;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.core.ResolvableType;

/**
 * The client's events to the application context, as {@code publishEvent(event)} sends
 * them ({@link PayloadApplicationEvent}s), with each event type's {@link ResolvableType}
 * resolved once: {@code publishEvent} resolves it again for every event (several objects),
 * and a call that succeeds publishes three. Once the context runs, without a parent, the
 * event goes straight to its multicaster, which is what {@code publishEvent} does then;
 * otherwise (during start-up, or with a parent context to tell too) through
 * {@code publishEvent} itself.
 */
final class ContextEvents implements FallbackEventListener {

	private static final ClassValue<ResolvableType[]> TYPES = new ClassValue<>() {

		@Override
		protected ResolvableType[] computeValue(Class<?> type) {
			ResolvableType payload = ResolvableType.forClass(type);
			return new ResolvableType[] { payload,
					ResolvableType.forClassWithGenerics(PayloadApplicationEvent.class, payload) };
		}

	};

	private final ApplicationEventPublisher publisher;

	private volatile ApplicationEventMulticaster multicaster;

	ContextEvents(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void onEvent(FallbackEvent event) {
		ApplicationEventMulticaster direct = multicaster();
		if (direct == null) {
			this.publisher.publishEvent(event);
			return;
		}
		ResolvableType[] types = TYPES.get(event.getClass());
		direct.multicastEvent(new PayloadApplicationEvent<>(this.publisher, event, types[0]), types[1]);
	}

	private ApplicationEventMulticaster multicaster() {
		ApplicationEventMulticaster known = this.multicaster;
		if (known != null) {
			return known;
		}
		if (!(this.publisher instanceof ConfigurableApplicationContext context) || !context.isRunning()
				|| context.getParent() != null
				|| !context.containsLocalBean(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME)) {
			return null;
		}
		known = context.getBean(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME,
				ApplicationEventMulticaster.class);
		this.multicaster = known;
		return known;
	}

}

package io.github.aifallback.autoconfigure;

import java.time.Clock;
import java.util.List;

import io.github.aifallback.chat.fleet.RedisFleetCircuitState;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.ResponseValidator;
import io.github.aifallback.chat.circuit.SharedCircuitState;
import io.github.aifallback.chat.lastgood.LastGoodKeyResolver;
import io.github.aifallback.chat.lastgood.LastGoodStore;
import io.github.aifallback.chat.observation.FallbackAttemptObservationConvention;
import io.github.aifallback.chat.observation.FallbackCallObservationConvention;
import io.github.aifallback.chat.openai.OpenAiEntryModel;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.http.okhttp.OpenAiHttpClientBuilderCustomizer;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * Auto-configures a {@link ResilientChatClient} from {@code ai.fallback.*}.
 * <p>
 * It is marked {@code @Primary}: an application that also has Spring AI's own OpenAI
 * auto-configuration then still injects one unambiguous {@code ChatModel}, and Spring AI's
 * {@code ChatClient.Builder} uses the resilient client.
 *
 * @since 0.1.0
 */
@AutoConfiguration(
		beforeName = "org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration")
@ConditionalOnClass({ ResilientChatClient.class, OpenAiChatModel.class })
@ConditionalOnBooleanProperty(name = "ai.fallback.enabled", matchIfMissing = true)
@EnableConfigurationProperties(FallbackProperties.class)
@Import({ LastGoodStoreConfiguration.class, FleetConfiguration.class })
public class FallbackAutoConfiguration {

	/**
	 * The name of an optional {@link Clock} bean that the client, its deployments and its
	 * last-good store then all read, instead of the system clock: a test's clock (the test
	 * kit registers one). Only a bean of this name is used, never any {@code Clock} bean.
	 * @since 0.1.0
	 */
	public static final String CLOCK_BEAN_NAME = "aiFallbackClock";

	@Bean
	@Primary
	@ConditionalOnMissingBean
	ResilientChatClient resilientChatClient(FallbackProperties properties, Environment environment,
			ApplicationEventPublisher eventPublisher, ObjectProvider<LastGoodStore> lastGoodStore,
			ObjectProvider<LastGoodKeyResolver> keyResolver, ObjectProvider<ResilientChatClientCustomizer> customizers,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<FallbackCallObservationConvention> callConvention,
			ObjectProvider<FallbackAttemptObservationConvention> attemptConvention,
			ObjectProvider<SharedCircuitState> sharedCircuitState, ObjectProvider<ResponseValidator> responseValidators,
			@Qualifier(CLOCK_BEAN_NAME) ObjectProvider<Clock> clocks, ObjectProvider<EntryModelFactory> factories) {
		// First: a typo often shows as another error (a required key missing) otherwise.
		UnknownKeys.check(environment);
		Clock clock = clocks.getIfAvailable(Clock::systemUTC);
		ObservationRegistry observations = observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP);
		SharedCircuitState fleet = sharedCircuitState.getIfUnique();
		ChainFactory factory = new ChainFactory(properties, EntryEndpoint.SpringAiOpenAi.from(environment),
				new EntryModelFactories(factories.orderedStream().toList()))
			.sharedCircuitState(fleet)
			.clock(clock);
		ResilientChatClient.Builder builder = factory.builder()
			.clock(clock)
			.observationRegistry(observations)
			.callObservationConvention(callConvention.getIfUnique())
			.attemptObservationConvention(attemptConvention.getIfUnique())
			.listener(new ContextEvents(eventPublisher))
			.lastGoodStore(lastGoodStore.getIfAvailable())
			.keyResolver(keyResolver.getIfAvailable(() -> LastGoodKeyResolver.GLOBAL))
			.degradedMessage(properties.getCache().getDegradedMessage())
			.sharedCircuitState(fleet)
			.responseValidator(responseValidator(responseValidators));
		if (fleet instanceof RedisFleetCircuitState redis && redis.retryBudgets() != null) {
			builder.retryBudgetFactory(redis.retryBudgets());
		}
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		ResilientChatClient client = builder.build();
		if (properties.isWarmUp()) {
			Thread warmUp = new Thread(OpenAiEntryModel::warmUp, "ai-fallback-warm-up");
			warmUp.setDaemon(true);
			warmUp.start();
		}
		return client;
	}

	/** OpenAI's API and any compatible endpoint: the provider of an entry that names none. */
	@Bean
	EntryModelFactory aiFallbackOpenAiEntryModelFactory(
			ObjectProvider<OpenAiHttpClientBuilderCustomizer> httpCustomizers,
			ObjectProvider<ObservationRegistry> observationRegistry) {
		return new OpenAiEntryModelFactory(httpCustomizers.orderedStream().toList(),
				observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
	}

	/** Anthropic's Messages API: spring-ai-anthropic is checked for when an entry uses it. */
	@Bean
	EntryModelFactory aiFallbackAnthropicEntryModelFactory(ObjectProvider<ObservationRegistry> observationRegistry) {
		return new AnthropicEntryModelFactory(observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP));
	}

	/** The application's own Spring AI ChatModel beans, named by an entry's chat-model. */
	@Bean
	EntryModelFactory aiFallbackChatModelEntryModelFactory(ListableBeanFactory beanFactory) {
		return new ChatModelEntryModelFactory(beanFactory);
	}

	/** The application's validators, in order, as one; {@code null} when there is none. */
	private static ResponseValidator responseValidator(ObjectProvider<ResponseValidator> validators) {
		List<ResponseValidator> all = validators.orderedStream().toList();
		return all.isEmpty() ? null : ResponseValidator.allOf(all);
	}

}

package io.github.aifallback.autoconfigure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.ResilientChatClient;
import io.github.aifallback.chat.failure.UrlRedaction;
import io.github.aifallback.chat.circuit.SharedCircuitState;
import io.github.aifallback.chat.deployment.Deployment;
import io.github.aifallback.chat.deployment.DeploymentsEntryModel;
import io.github.aifallback.chat.deployment.RateLimitState;
import io.github.aifallback.chat.model.EntryDefaultOptions;
import io.github.aifallback.chat.model.RateLimitedEntryModel;

/**
 * Assembles the engine's chain from settings resolved and checked once
 * ({@link ChainSettings}, {@link ResolvedEntrySettings}): each entry's model from the
 * {@link EntryModelFactory} of its provider, the decorators every provider gets (default
 * options, rate-limit skipping, deployments), and the client's builder.
 */
final class ChainFactory {

	private final ChainSettings chain;

	private final List<ResolvedEntrySettings> entries;

	private final EntryModelFactories factories;

	/** The time source of deployments' circuits and rate-limit resets. */
	private Clock clock = Clock.systemUTC();

	/** The fleet's circuit state, for deployments' breakers too; {@code null} without a fleet. */
	private SharedCircuitState sharedCircuitState;

	/**
	 * Resolves and checks every setting, at once.
	 * @param properties the bound properties
	 * @param springAi {@code spring.ai.openai.chat.*} and {@code spring.ai.openai.*}
	 * @param factories the providers there are
	 * @throws InvalidFallbackConfigurationException naming the property to fix
	 */
	ChainFactory(FallbackProperties properties, EntryEndpoint.SpringAiOpenAi springAi, EntryModelFactories factories) {
		this.chain = ChainSettings.resolve(properties);
		this.entries = new EntrySettingsResolver(this.chain, springAi, factories).resolve();
		this.factories = factories;
	}

	/**
	 * Share deployments' circuits with the fleet; before {@link #builder()}.
	 * @param sharedCircuitState the fleet's state, or {@code null}
	 * @return this factory
	 */
	ChainFactory sharedCircuitState(SharedCircuitState sharedCircuitState) {
		this.sharedCircuitState = sharedCircuitState;
		return this;
	}

	/**
	 * The time source of deployments' circuits and rate-limit resets, the client's own; before
	 * {@link #builder()}.
	 * @param clock the clock
	 * @return this factory
	 */
	ChainFactory clock(Clock clock) {
		this.clock = clock;
		return this;
	}

	/** The entries' settings, as resolved. */
	List<ResolvedEntrySettings> entries() {
		return this.entries;
	}

	/** A builder holding the configured chain and settings, ready for customizers. */
	ResilientChatClient.Builder builder() {
		FallbackProperties properties = this.chain.properties();
		List<ChainEntry> entries = new ArrayList<>();
		for (ResolvedEntrySettings entry : this.entries) {
			entries.add(chainEntry(entry));
		}
		ResilientChatClient.Builder builder = ResilientChatClient.builder()
			.entries(entries)
			.timeout(properties.getTimeout())
			.deadline(properties.getDeadline())
			.firstTokenTimeout(properties.getFirstTokenTimeout())
			.idleTimeout(properties.getIdleTimeout())
			.minAttemptTime(properties.getMinAttemptTime())
			.retry(this.chain.retry())
			.policy(this.chain.policy())
			.circuitBreaker(this.chain.circuitBreaker())
			.retryBudget(BudgetAndContinuationSettings.settings(properties.getRetry().getBudget()))
			.streamContinuation(properties.getStreamContinuation().isEnabled())
			.streamContinuationInstruction(
					BudgetAndContinuationSettings.instruction(properties.getStreamContinuation().getInstruction()))
			.hedgeBudget(properties.getHedge().getBudget(), properties.getHedge().getMinPerSecond())
			.panic(properties.getPanic().isEnabled(), properties.getPanic().getThreshold())
			.maxConcurrentCalls(properties.getBulkhead().getMaxConcurrentCalls(),
					properties.getBulkhead().getMaxWaitDuration());
		for (ResolvedEntrySettings entry : this.entries) {
			if (entry.maxConcurrentCalls() != null) {
				builder.maxConcurrentCalls(entry.name(), entry.maxConcurrentCalls());
			}
		}
		if (properties.getFallbackFloor() != null) {
			builder.fallbackFloor(properties.getFallbackFloor());
		}
		return builder;
	}

	private ChainEntry chainEntry(ResolvedEntrySettings entry) {
		return new ChainEntry(entry.name(), entry.label(), entryModel(entry), entry.timeout(), entry.maxAttempts(),
				entry.firstTokenTimeout(), entry.idleTimeout(), entry.ownCircuitBreaker(), entry.policy(),
				entry.capabilities(), entry.contextWindow(), entry.hedge());
	}

	/** The entry's model: its provider's, with what every provider gets around it. */
	private EntryModel entryModel(ResolvedEntrySettings entry) {
		if (!entry.deployments().isEmpty()) {
			return deployments(entry);
		}
		if (entry.skipWhenRateLimited()) {
			// Skipped by the chain, like an open circuit, while its provider says nothing is left.
			RateLimitState rateLimits = new RateLimitState(this.clock, this.chain.rateLimit());
			return new RateLimitedEntryModel(withDefaults(create(entry.endpoint(), rateLimits), entry), rateLimits);
		}
		return withDefaults(create(entry.endpoint(), null), entry);
	}

	/** An entry of several deployments, each with its own circuit and rate limits. */
	private EntryModel deployments(ResolvedEntrySettings entry) {
		// Their circuits' changes reach the client's listeners (the application's events, the
		// dashboard) through EntryModel#publishTo; the builder's own consumer logs them.
		DeploymentsEntryModel.Builder builder = DeploymentsEntryModel.builder(entry.name())
			.circuitBreaker(entry.circuitBreaker())
			.clock(this.clock)
			.sharedCircuitState(this.sharedCircuitState)
			.minAttemptTime(this.chain.properties().getMinAttemptTime());
		for (ResolvedEntrySettings.Deployment deployment : entry.deployments()) {
			RateLimitState rateLimits = this.chain.properties().getRateLimit().isEnabled()
					? new RateLimitState(this.clock, this.chain.rateLimit()) : null;
			EntryModel model = create(deployment.endpoint(), rateLimits);
			builder.deployment(new Deployment("deployment-" + deployment.index(),
					UrlRedaction.redact(deployment.endpoint().baseUrl()), withDefaults(model, entry),
					deployment.weight(), rateLimits));
		}
		return builder.build();
	}

	private EntryModel create(ResolvedEndpoint endpoint, RateLimitState rateLimits) {
		return this.factories.get(endpoint.provider()).create(endpoint, rateLimits);
	}

	private static EntryModel withDefaults(EntryModel model, ResolvedEntrySettings entry) {
		ResolvedEntrySettings.DefaultOptions options = entry.options();
		return EntryDefaultOptions.wrap(model, options.temperature(), options.maxTokens(), options.topP());
	}

}

package io.github.aifallback.chat.deployment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.github.aifallback.chat.internal.AttemptCancellation;
import io.github.aifallback.chat.internal.ChainTimeout;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureClassifier;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.circuit.CircuitBreakerSettings;
import io.github.aifallback.chat.circuit.CircuitTransition;
import io.github.aifallback.chat.circuit.SharedCircuitState;
import io.github.aifallback.chat.event.CircuitStateChangedEvent;
import io.github.aifallback.chat.event.FallbackEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * A chain entry made of several deployments (keys, regions) of one model: to the chain it is
 * one {@link EntryModel}, with one circuit of its own; inside, each attempt goes to one
 * deployment picked by weight among those whose own circuit admits it and that are not
 * about to hit their rate limit. A rate limit or an exhausted quota is about one key: the
 * same attempt then moves on to the next deployment, within the attempt's time, before the
 * chain sees any failure. Any other failure reaches the chain as it came (its retry then
 * picks again, and the failed deployment's circuit has counted it).
 * <p>
 * So the entry's own circuit only counts a failure when no deployment could serve: one
 * throttled key never takes the entry out while another one works.
 *
 * @since 0.1.0
 */
public final class DeploymentsEntryModel implements EntryModel {

	private static final Logger logger = LoggerFactory.getLogger(DeploymentsEntryModel.class);

	/** A bit per deployment in a long. */
	static final int MAX_DEPLOYMENTS = 64;

	private final String entry;

	private final List<Deployment> deployments;

	private final CircuitBreaker[] breakers;

	private final WeightedPicker picker;

	private final Clock clock;

	private final long minAttemptMillis;

	private final FailureClassifier classifier;

	private final Collection<String> secrets;

	/** The listeners of the clients built on this entry: its circuits' changes go to them too. */
	private final List<FallbackEventListener> listeners = new CopyOnWriteArrayList<>();

	private DeploymentsEntryModel(Builder builder) {
		this.entry = builder.entry;
		this.deployments = List.copyOf(builder.deployments);
		this.clock = builder.clock;
		this.minAttemptMillis = builder.minAttemptTime.toMillis();
		this.breakers = new CircuitBreaker[this.deployments.size()];
		Consumer<CircuitStateChangedEvent> told = builder.onStateChange.andThen(this::publish);
		Consumer<CircuitTransition> onStateChange = (transition) -> told.accept(CircuitStateChangedEvent.of(transition));
		int[] weights = new int[this.deployments.size()];
		Set<String> secrets = new LinkedHashSet<>();
		for (int i = 0; i < this.breakers.length; i++) {
			Deployment deployment = this.deployments.get(i);
			this.breakers[i] = new CircuitBreaker(breakerName(this.entry, i), builder.circuitBreaker, this.clock,
					onStateChange, builder.sharedCircuitState);
			weights[i] = deployment.weight();
			secrets.addAll(deployment.model().secrets());
		}
		this.picker = new WeightedPicker(weights);
		this.secrets = List.copyOf(secrets);
		this.classifier = new DeploymentsClassifier(this.deployments.get(0).model().classifier());
	}

	@Override
	public Runnable publishTo(FallbackEventListener listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	private void publish(CircuitStateChangedEvent event) {
		for (FallbackEventListener listener : this.listeners) {
			listener.onEvent(event);
		}
	}

	/**
	 * The stable name of a deployment's circuit breaker: {@code <entry>#<index>}, so that
	 * state shared between instances finds the same deployment.
	 * @param entry the entry's name
	 * @param index the deployment's index in the entry
	 * @return the name
	 */
	public static String breakerName(String entry, int index) {
		return entry + "#" + index;
	}

	/**
	 * A builder.
	 * @param entry the name of the chain entry these deployments serve
	 * @return the builder
	 */
	public static Builder builder(String entry) {
		return new Builder(entry);
	}

	@Override
	public ChatResponse call(Prompt prompt, Duration timeout) {
		long deadline = this.clock.millis() + timeout.toMillis();
		long tried = 0;
		RuntimeException last = null;
		for (int round = 0; round < this.breakers.length; round++) {
			int index = pick(tried);
			if (index < 0) {
				break;
			}
			tried |= 1L << index;
			CircuitBreaker breaker = this.breakers[index];
			long left = deadline - this.clock.millis();
			if (last != null && left < this.minAttemptMillis) {
				break;
			}
			long permit = breaker.acquire();
			if (permit == CircuitBreaker.DENIED) {
				continue;
			}
			boolean recorded = false;
			try {
				ChatResponse response = this.deployments.get(index)
					.model()
					.call(prompt, (last == null) ? timeout : Duration.ofMillis(left));
				breaker.recordSuccess(permit);
				recorded = true;
				return response;
			}
			catch (RuntimeException ex) {
				if (AttemptCancellation.isCancelled()) {
					// It lost a hedged race: the cancel is ours, not the deployment's failure.
					throw ex;
				}
				Failure failure = classify(index, ex);
				breaker.recordFailure(failure, permit);
				recorded = true;
				if (!movesOn(failure)) {
					throw ex;
				}
				logger.debug("AI fallback: deployment {} of '{}' failed: {}; trying another",
						this.deployments.get(index).label(), this.entry, failure.kind());
				last = ex;
			}
			finally {
				if (!recorded) {
					breaker.release(permit);
				}
			}
		}
		throw (last != null) ? last : unavailable();
	}

	/**
	 * As {@link #call}, until the first chunk: a rate limit or quota failure before it moves
	 * on to the next deployment; once a chunk arrived, the stream is committed.
	 */
	@Override
	public Flux<ChatResponse> stream(Prompt prompt, Duration timeLeft) {
		return Flux.deferContextual((context) -> streamFrom(prompt, this.clock.millis() + timeLeft.toMillis(), 0, null,
				ChainTimeout.from(context)));
	}

	/**
	 * @param timeout says whether a cancel was a timeout of the chain's: the deployment that
	 * did not send in time has failed ({@code TIMEOUT}), and it is recorded so, not merely
	 * released, or a hung region would keep its share of the streams for ever
	 */
	private Flux<ChatResponse> streamFrom(Prompt prompt, long deadline, long tried, RuntimeException last,
			ChainTimeout timeout) {
		int index = pick(tried);
		long left = deadline - this.clock.millis();
		if (index < 0 || (last != null && left < this.minAttemptMillis)) {
			return Flux.error((last != null) ? last : unavailable());
		}
		long triedNow = tried | (1L << index);
		CircuitBreaker breaker = this.breakers[index];
		long permit = breaker.acquire();
		if (permit == CircuitBreaker.DENIED) {
			return streamFrom(prompt, deadline, triedNow, last, timeout);
		}
		Flux<ChatResponse> stream;
		try {
			stream = this.deployments.get(index).model().stream(prompt, Duration.ofMillis(Math.max(left, 0)));
		}
		catch (RuntimeException ex) {
			stream = Flux.error(ex);
		}
		AtomicBoolean started = new AtomicBoolean();
		AtomicBoolean recorded = new AtomicBoolean();
		return stream.doOnNext((chunk) -> started.set(true))
			.doOnComplete(() -> {
				if (recorded.compareAndSet(false, true)) {
					breaker.recordSuccess(permit);
				}
			})
			.doOnCancel(() -> {
				if (recorded.compareAndSet(false, true)) {
					timeout.onCancelled((timedOut) -> {
						if (timedOut) {
							logger.debug("AI fallback: deployment {} of '{}' timed out",
									this.deployments.get(index).label(), this.entry);
							breaker.recordFailure(Failure.of(FailureKind.TIMEOUT), permit);
						}
						else {
							breaker.release(permit);
						}
					});
				}
			})
			.onErrorResume(RuntimeException.class, (ex) -> {
				Failure failure = classify(index, ex);
				if (recorded.compareAndSet(false, true)) {
					breaker.recordFailure(failure, permit);
				}
				return (!started.get() && movesOn(failure)) ? streamFrom(prompt, deadline, triedNow, ex, timeout)
						: Flux.error(ex);
			});
	}

	/**
	 * The next deployment: by weight among those not tried in this attempt whose circuit
	 * admits a call and that are not near their rate limit.
	 */
	private int pick(long tried) {
		long candidates = 0;
		for (int i = 0; i < this.breakers.length; i++) {
			if ((tried & (1L << i)) == 0 && this.breakers[i].isAvailable() && !limited(i)) {
				candidates |= 1L << i;
			}
		}
		return (candidates == 0) ? -1 : this.picker.pick(candidates);
	}

	/**
	 * When every deployment says no request is left: the soonest reset, so that the chain
	 * skips the entry without a request and without counting a failure on its circuit.
	 * Otherwise (one deployment may serve, or one is only out through its circuit)
	 * {@code null}: the attempt picks among the deployments as usual.
	 */
	@Override
	public Instant unavailableUntil() {
		long soonest = Long.MAX_VALUE;
		for (Deployment deployment : this.deployments) {
			RateLimitState rateLimits = deployment.rateLimits();
			long until = (rateLimits != null) ? rateLimits.limitedUntilMillis() : -1;
			if (until < 0) {
				return null;
			}
			soonest = Math.min(soonest, until);
		}
		return Instant.ofEpochMilli(soonest);
	}

	private boolean limited(int index) {
		RateLimitState rateLimits = this.deployments.get(index).rateLimits();
		return rateLimits != null && rateLimits.limitedUntilMillis() >= 0;
	}

	private static boolean movesOn(Failure failure) {
		return failure.kind() == FailureKind.RATE_LIMITED || failure.kind() == FailureKind.QUOTA_EXHAUSTED;
	}

	/** As the chain classifies: never throwing; what a classifier cannot say stays in the entry. */
	private Failure classify(int index, RuntimeException ex) {
		try {
			Failure failure = this.deployments.get(index).model().classifier().classify(ex);
			return (failure != null && failure.kind() != null) ? failure : Failure.of(FailureKind.BAD_REQUEST);
		}
		catch (RuntimeException classifierFailed) {
			return Failure.of(FailureKind.BAD_REQUEST);
		}
	}

	/**
	 * Nothing could be sent: say why, as the failure of the deployment back soonest, and
	 * when that is.
	 */
	private NoDeploymentAvailableException unavailable() {
		long now = this.clock.millis();
		long soonest = Long.MAX_VALUE;
		FailureKind kind = FailureKind.RATE_LIMITED;
		for (int i = 0; i < this.breakers.length; i++) {
			long back;
			FailureKind why;
			var circuit = this.breakers[i].snapshot();
			if (circuit.openUntil() != null) {
				back = circuit.openUntil().toEpochMilli();
				why = (circuit.lastFailureKind() != null) ? circuit.lastFailureKind() : FailureKind.SERVER_ERROR;
			}
			else if (limited(i)) {
				back = this.deployments.get(i).rateLimits().limitedUntilMillis();
				why = FailureKind.RATE_LIMITED;
			}
			else {
				continue;
			}
			if (back < soonest) {
				soonest = back;
				kind = why;
			}
		}
		Duration retryAfter = (soonest == Long.MAX_VALUE) ? null : Duration.ofMillis(Math.max(0, soonest - now));
		return new NoDeploymentAvailableException(this.entry, kind, retryAfter);
	}

	/**
	 * Each deployment's recorded state, in order: for health and the endpoint.
	 * @return the statuses
	 */
	public List<DeploymentStatus> statuses() {
		List<DeploymentStatus> statuses = new ArrayList<>(this.breakers.length);
		for (int i = 0; i < this.breakers.length; i++) {
			Deployment deployment = this.deployments.get(i);
			statuses.add(new DeploymentStatus(deployment.label(), deployment.target(), deployment.weight(),
					this.breakers[i].snapshot(),
					(deployment.rateLimits() != null) ? deployment.rateLimits().snapshot() : null));
		}
		return statuses;
	}

	/**
	 * Each deployment's circuit breaker, in order, named {@code <entry>#<index>}: to read,
	 * force open or reset.
	 * @return the breakers
	 */
	public List<CircuitBreaker> circuitBreakers() {
		return List.of(this.breakers);
	}

	/**
	 * The deployments, in order.
	 * @return the deployments
	 */
	public List<Deployment> deployments() {
		return this.deployments;
	}

	/** As its deployments' models say: they are of one kind. */
	@Override
	public boolean reportsFinishReason() {
		return this.deployments.get(0).model().reportsFinishReason();
	}

	/** Every deployment's keys and configured header values. */
	@Override
	public Collection<String> secrets() {
		return this.secrets;
	}

	@Override
	public FailureClassifier classifier() {
		return this.classifier;
	}

	@Override
	public String toString() {
		return "DeploymentsEntryModel[" + this.entry + ", " + this.deployments + "]";
	}

	/** The deployments' classifier, which also knows that no deployment was available. */
	private record DeploymentsClassifier(FailureClassifier delegate) implements FailureClassifier {

		@Override
		public Failure classify(Throwable failure) {
			if (failure instanceof NoDeploymentAvailableException unavailable) {
				return unavailable.failure();
			}
			return this.delegate.classify(failure);
		}

	}

	/**
	 * Builds a {@link DeploymentsEntryModel}.
	 *
	 * @since 0.1.0
	 */
	public static final class Builder {

		private final String entry;

		private final List<Deployment> deployments = new ArrayList<>();

		private CircuitBreakerSettings circuitBreaker = CircuitBreakerSettings.DEFAULTS;

		private Clock clock = Clock.systemUTC();

		private Duration minAttemptTime = Duration.ofMillis(50);

		private Consumer<CircuitStateChangedEvent> onStateChange = Builder::log;

		private SharedCircuitState sharedCircuitState;

		private Builder(String entry) {
			this.entry = Objects.requireNonNull(entry, "entry");
		}

		/**
		 * Add a deployment; the order is the index of its breaker's name.
		 * @param deployment the deployment
		 * @return this builder
		 */
		public Builder deployment(Deployment deployment) {
			this.deployments.add(Objects.requireNonNull(deployment, "deployment"));
			return this;
		}

		/**
		 * When each deployment's circuit opens: the entry's own settings, as a rule.
		 * @param settings the settings
		 * @return this builder
		 */
		public Builder circuitBreaker(CircuitBreakerSettings settings) {
			this.circuitBreaker = Objects.requireNonNull(settings, "settings");
			return this;
		}

		/**
		 * The time source of the circuits and of the attempt's time (default: the system's).
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		/**
		 * The least time left for which the next deployment is still tried (default 50 ms).
		 * @param minAttemptTime the floor
		 * @return this builder
		 */
		public Builder minAttemptTime(Duration minAttemptTime) {
			this.minAttemptTime = Objects.requireNonNull(minAttemptTime, "minAttemptTime");
			return this;
		}

		/**
		 * Told of every state change of a deployment's circuit (default: logged); must not
		 * throw.
		 * @param onStateChange the consumer
		 * @return this builder
		 */
		public Builder onStateChange(Consumer<CircuitStateChangedEvent> onStateChange) {
			this.onStateChange = Objects.requireNonNull(onStateChange, "onStateChange");
			return this;
		}

		/**
		 * The circuit state shared with other instances (a fleet), under each deployment's
		 * breaker name ({@code <entry>#<index>}); {@code null} (the default) for local state only.
		 * @param sharedCircuitState the shared state, or {@code null}
		 * @return this builder
		 */
		public Builder sharedCircuitState(SharedCircuitState sharedCircuitState) {
			this.sharedCircuitState = sharedCircuitState;
			return this;
		}

		/**
		 * Build the entry model.
		 * @return the entry model
		 */
		public DeploymentsEntryModel build() {
			if (this.deployments.isEmpty() || this.deployments.size() > MAX_DEPLOYMENTS) {
				throw new IllegalArgumentException(
						"entry '" + this.entry + "' needs 1 to " + MAX_DEPLOYMENTS + " deployments");
			}
			return new DeploymentsEntryModel(this);
		}

		private static void log(CircuitStateChangedEvent event) {
			logger.info("AI fallback: deployment circuit '{}' went from {} to {}", event.entry(), event.from(),
					event.to());
		}

	}

}

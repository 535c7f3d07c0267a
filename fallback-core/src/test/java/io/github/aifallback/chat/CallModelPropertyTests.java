package io.github.aifallback.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import io.github.aifallback.chat.circuit.CircuitBreaker;
import io.github.aifallback.chat.deployment.Deployment;
import io.github.aifallback.chat.deployment.DeploymentsEntryModel;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.event.AttemptFailedEvent;
import io.github.aifallback.chat.event.CallCompletedEvent;
import io.github.aifallback.chat.event.FallbackEvent;
import io.github.aifallback.chat.failure.AttemptTimeoutException;
import io.github.aifallback.chat.failure.BasicFailureClassifier;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureClassifier;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.internal.ChainTimeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Signal;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Property-based tests of the call model (issue 20): random chains (blocking or streaming,
 * hedged or not, continuation on or off, one to three deployments behind the first entry)
 * whose attempts end at random (answer, 429 with Retry-After, 5xx, hang, a model that
 * throws, a cut before or after the first token, a refusal before or after it, a clean end
 * without a finish reason), checked against the invariants every call keeps. Each case is
 * generated from its seed, which the failure message names, so that it can be replayed.
 * <p>
 * Written on JUnit Jupiter rather than jqwik: jqwik 1.x runs on JUnit Platform 1.x while
 * Spring Boot 4.1 brings Platform 6, and jqwik from 1.10 asks not to be used by coding agents.
 */
class CallModelPropertyTests {

	static final int TRIES = 200;

	static final Duration DEADLINE = Duration.ofSeconds(3);

	/** Every call ends by its deadline and this: a bound on liveness, not a timing measurement. */
	static final Duration SLACK = Duration.ofSeconds(2);

	enum Outcome {

		ANSWER, RATE_LIMITED, SERVER_ERROR, HANG, SYNC_THROW, CUT_BEFORE, CUT_AFTER, REFUSAL_BEFORE, REFUSAL_AFTER,
		NO_FINISH

	}

	static LongStream seeds() {
		return LongStream.range(0, TRIES);
	}

	/** A provider's failure, with its kind and Retry-After, for the scripted classifier. */
	static final class Failed extends RuntimeException {

		final Failure failure;

		Failed(Failure failure) {
			super(failure.kind().toString(), null, false, false);
			this.failure = failure;
		}

	}

	static ChatResponse chunk(String text, String finish) {
		return new ChatResponse(List.of(new Generation(new AssistantMessage(text),
				ChatGenerationMetadata.builder().finishReason(finish).build())));
	}

	/** A model whose every request ends as its random script says, and that counts what it saw. */
	static final class Scripted implements EntryModel {

		final String name;

		private final Random random;

		final AtomicInteger failuresEnded = new AtomicInteger();

		final AtomicBoolean sawRefusedText = new AtomicBoolean();

		final List<Outcome> drawn = new CopyOnWriteArrayList<>();

		Scripted(String name, long seed) {
			this.name = name;
			this.random = new Random(seed);
		}

		private synchronized Outcome next(Prompt prompt) {
			for (Message message : prompt.getInstructions()) {
				if (message.getText() != null && message.getText().contains("BAD")) {
					this.sawRefusedText.set(true);
				}
			}
			Outcome outcome = Outcome.values()[this.random.nextInt(Outcome.values().length)];
			this.drawn.add(outcome);
			return outcome;
		}

		private RuntimeException failure(Outcome outcome) {
			return switch (outcome) {
				case RATE_LIMITED -> new Failed(new Failure(FailureKind.RATE_LIMITED, 429, Duration.ofMillis(5)));
				case SERVER_ERROR -> new Failed(new Failure(FailureKind.SERVER_ERROR, 503, null));
				default -> new UncheckedIOException(new IOException("connection reset"));
			};
		}

		@Override
		public ChatResponse call(Prompt prompt, Duration timeout) {
			Outcome outcome = next(prompt);
			switch (outcome) {
				case ANSWER, NO_FINISH:
					return chunk("Fine.", (outcome == Outcome.ANSWER) ? "stop" : null);
				case REFUSAL_BEFORE, REFUSAL_AFTER:
					return chunk("BAD", "content_filter");
				case HANG:
					try {
						new CountDownLatch(1).await(Math.min(timeout.toMillis(), 30), TimeUnit.MILLISECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					this.failuresEnded.incrementAndGet();
					throw new AttemptTimeoutException("no answer");
				case SYNC_THROW:
					this.failuresEnded.incrementAndGet();
					throw new IllegalStateException("the model threw");
				default:
					this.failuresEnded.incrementAndGet();
					throw failure(outcome);
			}
		}

		@Override
		public Flux<ChatResponse> stream(Prompt prompt, Duration timeLeft) {
			Outcome outcome = next(prompt);
			if (outcome == Outcome.SYNC_THROW) {
				this.failuresEnded.incrementAndGet();
				throw new IllegalStateException("the model threw");
			}
			return Flux.deferContextual((context) -> {
				ChainTimeout timeout = ChainTimeout.from(context);
				Flux<ChatResponse> stream = switch (outcome) {
					case ANSWER -> Flux.just(chunk("", null), chunk("Fi", null), chunk("ne.", "stop"));
					case RATE_LIMITED, SERVER_ERROR -> Flux.error(failure(outcome));
					case HANG -> Flux.<ChatResponse>never();
					case CUT_BEFORE -> Flux.concat(Flux.just(chunk("", null)), Flux.error(failure(outcome)));
					case CUT_AFTER -> Flux.concat(Flux.just(chunk("Fi", null), chunk("ne", null)),
							Flux.error(failure(outcome)));
					case REFUSAL_BEFORE -> Flux.just(chunk("", "content_filter"));
					case REFUSAL_AFTER -> Flux.just(chunk("BAD ", null), chunk("", "content_filter"));
					default -> Flux.just(chunk("Fi", null), chunk("ne", null));
				};
				// Whatever it was about to send, a stream the chain's timeout cancelled has failed
				// (on a loaded machine even an answer can be late).
				return stream.doOnError((ex) -> this.failuresEnded.incrementAndGet())
					.doOnCancel(() -> timeout.onCancelled((timedOut) -> {
						if (timedOut) {
							this.failuresEnded.incrementAndGet();
						}
					}));
			});
		}

		@Override
		public FailureClassifier classifier() {
			return (ex) -> (ex instanceof Failed failed) ? failed.failure : BasicFailureClassifier.INSTANCE.classify(ex);
		}

		@Override
		public String toString() {
			return this.name + this.drawn;
		}

	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void everyCallKeepsTheInvariants(long seed) {
		Random random = new Random(seed);
		boolean stream = random.nextBoolean();
		boolean hedged = random.nextBoolean();
		boolean continuation = random.nextBoolean();
		int deploymentCount = 1 + random.nextInt(3);
		int entryCount = 2 + random.nextInt(2);
		List<Scripted> deploymentModels = new ArrayList<>();
		DeploymentsEntryModel.Builder deployments = DeploymentsEntryModel.builder("e0");
		for (int d = 0; d < deploymentCount; d++) {
			Scripted model = new Scripted("e0#" + d, random.nextLong());
			deploymentModels.add(model);
			deployments.deployment(new Deployment("d" + d, "http://d" + d, model, 1, null));
		}
		DeploymentsEntryModel first = deployments.build();
		List<FallbackEvent> events = new CopyOnWriteArrayList<>();
		List<Scripted> entryModels = new ArrayList<>();
		ResilientChatClient.Builder builder = ResilientChatClient.builder()
			.retry(RetrySettings.custom()
				.maxAttempts(2)
				.initialInterval(Duration.ZERO)
				.multiplier(1.0)
				.maxInterval(Duration.ofMillis(10))
				.jitter(false)
				.maxTotalAttempts(6)
				.build())
			.timeout(Duration.ofMillis(30))
			.firstTokenTimeout(Duration.ofMillis(30))
			.idleTimeout(Duration.ofMillis(30))
			.deadline(DEADLINE)
			.streamContinuation(continuation)
			.sleeper((wait) -> {
			})
			.listener(events::add);
		ChainEntry primary = ChainEntry.of("e0", "m0", first);
		builder.entry(hedged ? primary.withHedge(HedgeSettings.after(Duration.ofMillis(5))) : primary);
		for (int e = 1; e < entryCount; e++) {
			Scripted model = new Scripted("e" + e, random.nextLong());
			entryModels.add(model);
			builder.entry(ChainEntry.of("e" + e, "m" + e, model));
		}
		String scenario = "seed " + seed + ": " + (stream ? "stream" : "blocking") + ", hedged=" + hedged
				+ ", continuation=" + continuation + ", deployments=" + deploymentModels + ", entries=" + entryModels;
		try (ResilientChatClient client = builder.build()) {
			String text;
			Throwable error;
			ChatResponse last;
			if (stream) {
				List<Signal<ChatResponse>> signals = client.stream(new Prompt("q"))
					.materialize()
					.collectList()
					.block(DEADLINE.plus(SLACK));
				assertThat(signals).as(scenario).isNotNull();
				List<Signal<ChatResponse>> terminal = signals.stream().filter((s) -> s.isOnComplete() || s.isOnError())
					.toList();
				assertThat(terminal).as("exactly one end: " + scenario).hasSize(1);
				assertThat(signals.get(signals.size() - 1)).as(scenario).isSameAs(terminal.get(0));
				List<ChatResponse> chunks = signals.stream().filter(Signal::isOnNext).map(Signal::get).toList();
				StringBuilder all = new StringBuilder();
				chunks.forEach((c) -> all.append((c.getResult() != null) ? c.getResult().getOutput().getText() : ""));
				text = all.toString();
				error = terminal.get(0).getThrowable();
				last = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
			}
			else {
				ChatResponse response = null;
				Throwable thrown = null;
				try {
					response = assertTimeoutPreemptively(DEADLINE.plus(SLACK), () -> client.call(new Prompt("q")),
							scenario);
				}
				catch (RuntimeException ex) {
					thrown = ex;
				}
				error = thrown;
				last = response;
				text = (response != null) ? response.getResult().getOutput().getText() : "";
			}
			List<CallCompletedEvent> completed = events.stream().filter(CallCompletedEvent.class::isInstance)
				.map(CallCompletedEvent.class::cast).toList();
			assertThat(completed).as("exactly one CallCompletedEvent: " + scenario).hasSize(1);
			List<AttemptFailedEvent> failed = events.stream().filter(AttemptFailedEvent.class::isInstance)
				.map(AttemptFailedEvent.class::cast).toList();
			if (error == null) {
				assertThat(text).as("no truncated answer completes normally: " + scenario).endsWith(".");
				assertThat(completed.get(0).outcome()).as(scenario).isEqualTo(CallCompletedEvent.Outcome.SERVED);
				assertThat(last.getMetadata().<String>get(FallbackMetadata.SERVED_BY)).as(scenario)
					.isEqualTo(completed.get(0).entry());
				assertThat(last.getMetadata().<List<String>>get(FallbackMetadata.FAILED_ATTEMPTS)).as(scenario)
					.hasSize(failed.size());
				if (Boolean.TRUE.equals(last.getMetadata().get(FallbackMetadata.HEDGED))) {
					assertThat(events).as("an answer marked hedged came from a race: " + scenario)
						.anyMatch(io.github.aifallback.chat.event.HedgeEvent.class::isInstance);
				}
			}
			else {
				assertThat(error).as("a typed end: " + scenario)
					.isInstanceOfAny(AllModelsFailedException.class, StreamInterruptedException.class);
				assertThat(completed.get(0).outcome()).as(scenario).isEqualTo(CallCompletedEvent.Outcome.FAILED);
			}
			List<Scripted> everyModel = new ArrayList<>(deploymentModels);
			everyModel.addAll(entryModels);
			assertThat(everyModel).as("no refusal is continued: " + scenario)
				.noneMatch((model) -> model.sawRefusedText.get());
			List<CircuitBreaker> breakers = new ArrayList<>(first.circuitBreakers());
			for (int e = 0; e < entryCount; e++) {
				CircuitBreaker breaker = client.circuitBreaker("e" + e);
				breakers.add(breaker);
				String entry = "e" + e;
				assertThat(breaker.snapshot().failures()).as("every failure of " + entry + " is on its circuit: " + scenario)
					.isEqualTo(failed.stream().filter((f) -> f.entry().equals(entry)).count());
			}
			assertThat(breakers).as("every permit is settled once: " + scenario)
				.allSatisfy((breaker) -> assertThat(breaker.permitsInFlight()).as(breaker.entry()).isZero());
			if (stream) {
				for (int d = 0; d < deploymentCount; d++) {
					assertThat(first.circuitBreakers().get(d).snapshot().failures())
						.as("every failure of deployment " + d + " is on its circuit: " + scenario + ", drawn "
								+ deploymentModels.get(d).drawn)
						.isEqualTo(deploymentModels.get(d).failuresEnded.get());
				}
			}
		}
	}

}

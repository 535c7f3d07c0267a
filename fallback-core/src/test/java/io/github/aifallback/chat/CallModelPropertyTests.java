package io.github.aifallback.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
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
import org.junit.jupiter.api.Test;
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
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property-based tests of the call model (issue 20): random chains (blocking or streaming,
 * hedged or not, continuation on or off, one to three deployments behind the first entry)
 * whose attempts end at random (answer, 429 with Retry-After, 5xx, hang, a model that
 * throws, a cut before or after the first token, a refusal before or after it, a clean end
 * without a finish reason), checked against the invariants every call keeps. Each case is
 * generated from its seed and is a plain value ({@link Case}: the switches and every model's
 * script of outcomes), so that a failing case is shrunk (fewer entries, fewer deployments,
 * shorter scripts, simpler outcomes, hedging and continuation off) to the smallest that
 * still fails, and reported with its seed. The seeds walk every combination of transport,
 * hedging, continuation and deployment count in turn; {@link #theGeneratedCasesCoverEveryCombination}
 * checks that the space is covered, {@link #aFailingCaseIsShrunkToItsSmallestForm} that
 * shrinking works.
 * <p>
 * Written on JUnit Jupiter rather than jqwik: jqwik 1.x runs on JUnit Platform 1.x while
 * Spring Boot 4.1 brings Platform 6, and jqwik from 1.10 asks not to be used by coding agents.
 */
class CallModelPropertyTests {

	static final int TRIES = 360;

	/** Each script is at most this long: enough for every retry and fallback of a call. */
	static final int SCRIPT = 6;

	/** How many cases a shrink may run, at most: it stays fast when a failure is found. */
	static final int SHRINK_RUNS = 300;

	static final Duration DEADLINE = Duration.ofSeconds(3);

	/** Every call ends by its deadline and this: a bound on liveness, not a timing measurement. */
	static final Duration SLACK = Duration.ofSeconds(2);

	enum Outcome {

		ANSWER, RATE_LIMITED, SERVER_ERROR, HANG, SYNC_THROW, CUT_BEFORE, CUT_AFTER, REFUSAL_BEFORE, REFUSAL_AFTER,
		NO_FINISH

	}

	/** Every seed; or to replay some, {@code -Dcallmodel.seeds=335,336}. */
	static LongStream seeds() {
		String replay = System.getProperty("callmodel.seeds");
		if (replay != null && !replay.isBlank()) {
			return java.util.Arrays.stream(replay.split(",")).mapToLong((seed) -> Long.parseLong(seed.trim()));
		}
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

		private final List<Outcome> script;

		private int played;

		final AtomicInteger failuresEnded = new AtomicInteger();

		final AtomicBoolean sawRefusedText = new AtomicBoolean();

		final List<Outcome> drawn = new CopyOnWriteArrayList<>();

		Scripted(String name, List<Outcome> script) {
			this.name = name;
			this.script = script;
		}

		private synchronized Outcome next(Prompt prompt) {
			for (Message message : prompt.getInstructions()) {
				if (message.getText() != null && message.getText().contains("BAD")) {
					this.sawRefusedText.set(true);
				}
			}
			// Past its script a model answers: a shorter script is a simpler case.
			Outcome outcome = (this.played < this.script.size()) ? this.script.get(this.played) : Outcome.ANSWER;
			this.played++;
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
						// Cancelled (a lost race): given up, not failed.
						Thread.currentThread().interrupt();
						throw new AttemptTimeoutException("cancelled");
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
				// Counted once: under load our timeout may fire as the stream's error is on its way,
				// and the stream both errs and is cancelled; its deployment records one failure.
				AtomicBoolean failed = new AtomicBoolean();
				return stream.doOnError((ex) -> {
					if (failed.compareAndSet(false, true)) {
						this.failuresEnded.incrementAndGet();
					}
				}).doOnCancel(() -> timeout.onCancelled((timedOut) -> {
					if (timedOut && failed.compareAndSet(false, true)) {
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

	/**
	 * One generated case, a plain value: the switches, and each model's script of outcomes
	 * (the deployments behind the first entry, then the entries after it). Shrinking makes
	 * smaller ones from it.
	 */
	record Case(long seed, boolean stream, boolean hedged, boolean continuation, List<List<Outcome>> deployments,
			List<List<Outcome>> entries) {

		/** Each seed in turn takes the next of the 24 combinations; its scripts are random. */
		static Case generate(long seed) {
			int combination = (int) Math.floorMod(seed, 24L);
			Random random = new Random(seed);
			List<List<Outcome>> deployments = new ArrayList<>();
			for (int d = 0; d < 1 + combination / 8; d++) {
				deployments.add(script(random));
			}
			List<List<Outcome>> entries = new ArrayList<>();
			for (int e = 0; e < 1 + random.nextInt(2); e++) {
				entries.add(script(random));
			}
			return new Case(seed, (combination & 1) != 0, (combination & 2) != 0, (combination & 4) != 0,
					List.copyOf(deployments), List.copyOf(entries));
		}

		private static List<Outcome> script(Random random) {
			List<Outcome> script = new ArrayList<>();
			for (int i = 0, n = 1 + random.nextInt(SCRIPT); i < n; i++) {
				script.add(Outcome.values()[random.nextInt(Outcome.values().length)]);
			}
			return List.copyOf(script);
		}

		/** How big it is: what shrinking makes smaller. */
		int size() {
			int size = (this.hedged ? 1 : 0) + (this.continuation ? 1 : 0) + 10 * (this.deployments.size()
					+ this.entries.size());
			for (List<Outcome> script : scripts()) {
				for (Outcome outcome : script) {
					size += 1 + outcome.ordinal();
				}
			}
			return size;
		}

		List<List<Outcome>> scripts() {
			List<List<Outcome>> all = new ArrayList<>(this.deployments);
			all.addAll(this.entries);
			return all;
		}

		/** The cases one step smaller than this one, the biggest steps first. */
		List<Case> smaller() {
			List<Case> smaller = new ArrayList<>();
			for (int e = 0; e < this.entries.size() && this.entries.size() > 1; e++) {
				smaller.add(with(this.deployments, without(this.entries, e)));
			}
			for (int d = 0; d < this.deployments.size() && this.deployments.size() > 1; d++) {
				smaller.add(with(without(this.deployments, d), this.entries));
			}
			if (this.hedged) {
				smaller.add(new Case(this.seed, this.stream, false, this.continuation, this.deployments, this.entries));
			}
			if (this.continuation) {
				smaller.add(new Case(this.seed, this.stream, this.hedged, false, this.deployments, this.entries));
			}
			int scripts = this.deployments.size() + this.entries.size();
			for (int s = 0; s < scripts; s++) {
				List<Outcome> script = scripts().get(s);
				for (int i = 0; i < script.size(); i++) {
					List<Outcome> shorter = new ArrayList<>(script);
					shorter.remove(i);
					smaller.add(withScript(s, shorter));
				}
				for (int i = 0; i < script.size(); i++) {
					// A simpler outcome: an earlier one in the list, ANSWER the simplest.
					for (int o = 0; o < script.get(i).ordinal(); o++) {
						List<Outcome> simpler = new ArrayList<>(script);
						simpler.set(i, Outcome.values()[o]);
						smaller.add(withScript(s, simpler));
					}
				}
			}
			return smaller;
		}

		private Case with(List<List<Outcome>> deployments, List<List<Outcome>> entries) {
			return new Case(this.seed, this.stream, this.hedged, this.continuation, deployments, entries);
		}

		private Case withScript(int index, List<Outcome> script) {
			List<List<Outcome>> deployments = new ArrayList<>(this.deployments);
			List<List<Outcome>> entries = new ArrayList<>(this.entries);
			if (index < deployments.size()) {
				deployments.set(index, List.copyOf(script));
			}
			else {
				entries.set(index - deployments.size(), List.copyOf(script));
			}
			return with(List.copyOf(deployments), List.copyOf(entries));
		}

		private static List<List<Outcome>> without(List<List<Outcome>> scripts, int index) {
			List<List<Outcome>> fewer = new ArrayList<>(scripts);
			fewer.remove(index);
			return List.copyOf(fewer);
		}

		@Override
		public String toString() {
			return "seed " + this.seed + ": " + (this.stream ? "stream" : "blocking") + ", hedged=" + this.hedged
					+ ", continuation=" + this.continuation + ", deployments=" + this.deployments + ", entries="
					+ this.entries;
		}

	}

	/** A failing case, shrunk, and what made it fail. */
	record Shrunk(Case smallest, AssertionError failure, int runs) {
	}

	/**
	 * The smallest case the greedy shrink reaches that still fails {@code property}: each
	 * round takes the first smaller case that fails, until none does (or the runs are spent).
	 */
	static Shrunk shrink(Case failing, AssertionError failure, Predicate<Case> property) {
		Case smallest = failing;
		AssertionError why = failure;
		int runs = 0;
		boolean smaller = true;
		while (smaller && runs < SHRINK_RUNS) {
			smaller = false;
			for (Case candidate : smallest.smaller()) {
				if (runs++ >= SHRINK_RUNS) {
					break;
				}
				AssertionError fails = failureOf(candidate, property);
				if (fails != null && candidate.size() < smallest.size()) {
					smallest = candidate;
					why = fails;
					smaller = true;
					break;
				}
			}
		}
		return new Shrunk(smallest, why, runs);
	}

	private static AssertionError failureOf(Case candidate, Predicate<Case> property) {
		try {
			return property.test(candidate) ? null : new AssertionError("property is false for " + candidate);
		}
		catch (AssertionError ex) {
			return ex;
		}
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void everyCallKeepsTheInvariants(long seed) {
		Case generated = Case.generate(seed);
		AssertionError failure = failureOf(generated, CallModelPropertyTests::keepsTheInvariants);
		if (failure != null) {
			Shrunk shrunk = shrink(generated, failure, CallModelPropertyTests::keepsTheInvariants);
			fail("seed " + seed + " fails; shrunk in " + shrunk.runs() + " run(s) to " + shrunk.smallest() + "\n"
					+ shrunk.failure().getMessage() + "\n(generated as " + generated + ")", shrunk.failure());
		}
	}

	@Test
	void theGeneratedCasesCoverEveryCombination() {
		Set<String> combinations = new HashSet<>();
		Set<Outcome> blocking = EnumSet.noneOf(Outcome.class);
		Set<Outcome> streaming = EnumSet.noneOf(Outcome.class);
		Set<Outcome> firstAttempts = EnumSet.noneOf(Outcome.class);
		for (long seed : LongStream.range(0, TRIES).toArray()) {
			Case generated = Case.generate(seed);
			combinations.add(generated.stream() + "/" + generated.hedged() + "/" + generated.continuation() + "/"
					+ generated.deployments().size());
			generated.scripts().forEach((script) -> (generated.stream() ? streaming : blocking).addAll(script));
			firstAttempts.add(generated.deployments().get(0).get(0));
		}
		// blocking or stream; hedged or not; continuation or not; one to three deployments.
		assertThat(combinations).hasSize(2 * 2 * 2 * 3);
		assertThat(blocking).containsExactlyInAnyOrder(Outcome.values());
		assertThat(streaming).containsExactlyInAnyOrder(Outcome.values());
		assertThat(firstAttempts).containsExactlyInAnyOrder(Outcome.values());
	}

	@Test
	void aFailingCaseIsShrunkToItsSmallestForm() {
		// A property that fails whenever some model is scripted to be cut after its first token.
		Predicate<Case> noCut = (c) -> c.scripts().stream().noneMatch((script) -> script.contains(Outcome.CUT_AFTER));
		Case failing = LongStream.range(0, TRIES).mapToObj(Case::generate)
			.filter((c) -> !noCut.test(c) && c.entries().size() == 2 && c.deployments().size() == 3)
			.findFirst()
			.orElseThrow();
		Shrunk shrunk = shrink(failing, new AssertionError("cut"), noCut);
		assertThat(shrunk.smallest().deployments()).hasSize(1);
		assertThat(shrunk.smallest().entries()).hasSize(1);
		assertThat(shrunk.smallest().hedged()).isFalse();
		assertThat(shrunk.smallest().continuation()).isFalse();
		assertThat(shrunk.smallest().scripts()).containsOnlyOnce(List.of(Outcome.CUT_AFTER));
		assertThat(shrunk.smallest().scripts().stream().mapToInt(List::size).sum()).isEqualTo(1);
		assertThat(shrunk.smallest().seed()).isEqualTo(failing.seed());
	}

	/** Runs the case once; an {@link AssertionError} names the invariant it broke. */
	static boolean keepsTheInvariants(Case generated) {
		try {
			return runs(generated);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	private static boolean runs(Case generated) throws InterruptedException {
		boolean stream = generated.stream();
		boolean hedged = generated.hedged();
		int deploymentCount = generated.deployments().size();
		int entryCount = 1 + generated.entries().size();
		List<Scripted> deploymentModels = new ArrayList<>();
		DeploymentsEntryModel.Builder deployments = DeploymentsEntryModel.builder("e0");
		for (int d = 0; d < deploymentCount; d++) {
			Scripted model = new Scripted("e0#" + d, generated.deployments().get(d));
			deploymentModels.add(model);
			deployments.deployment(new Deployment("d" + d, "http://d" + d, model, 1, null));
		}
		DeploymentsEntryModel first = deployments.build();
		List<FallbackEvent> events = new CopyOnWriteArrayList<>();
		List<Scripted> entryModels = new ArrayList<>();
		// A fresh in-memory last-good store per case, guarded as the builder guards it (its
		// writes batched while other calls run, or after a call slower than a batch).
		KeptAnswers kept = new KeptAnswers(java.time.Clock.systemUTC());
		ResilientChatClient.Builder builder = ResilientChatClient.builder()
			.lastGoodStore(kept.store())
			.retry(new RetrySettings(2, Duration.ZERO, 1.0, Duration.ofMillis(10), false, true, 6))
			.timeout(Duration.ofMillis(30))
			.firstTokenTimeout(Duration.ofMillis(30))
			// No outcome stalls after its first token, so this never fires unless the machine
			// stalls the test's own thread between two chunks; then a refusal would be a cut
			// by timeout before its refusal came, rightly continued, and look like a refusal continued.
			.idleTimeout(Duration.ofSeconds(1))
			.deadline(DEADLINE)
			.streamContinuation(generated.continuation())
			.sleeper((wait) -> {
			})
			.listener(events::add);
		ChainEntry primary = ChainEntry.of("e0", "m0", first);
		builder.entry(hedged ? primary.withHedge(HedgeSettings.after(Duration.ofMillis(5))) : primary);
		for (int e = 1; e < entryCount; e++) {
			Scripted model = new Scripted("e" + e, generated.entries().get(e - 1));
			entryModels.add(model);
			builder.entry(ChainEntry.of("e" + e, "m" + e, model));
		}
		String scenario = generated + ", drawn: deployments=" + deploymentModels + ", entries=" + entryModels;
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
					// The race's hedge made an attempt: it won or lost (a HedgeEvent), or it failed
					// first (its failure event; a primary that answered then won no race).
					List<String> raced = last.getMetadata().get(FallbackMetadata.HEDGED_ENTRIES);
					assertThat(raced).as(scenario).hasSize(2).startsWith("e0");
					assertThat(events).as("an answer marked hedged came from a race: " + scenario)
						.anyMatch((event) -> (event instanceof io.github.aifallback.chat.event.HedgeEvent hedge
								&& hedge.entry().equals(raced.get(1)))
								|| (event instanceof AttemptFailedEvent hedgeFailed
										&& hedgeFailed.entry().equals(raced.get(1))));
				}
			}
			else {
				assertThat(error).as("a typed end: " + scenario)
					.isInstanceOfAny(AllModelsFailedException.class, StreamInterruptedException.class);
				assertThat(completed.get(0).outcome()).as(scenario).isEqualTo(CallCompletedEvent.Outcome.FAILED);
				if (error instanceof AllModelsFailedException allFailed) {
					assertThat(allFailed.getAttempts()).as("the exception lists every failed attempt: " + scenario)
						.hasSize(failed.size());
				}
				if (error instanceof StreamInterruptedException interrupted) {
					assertThat(failed).as("the cut is a failed attempt's: " + scenario)
						.anyMatch((f) -> f.entry().equals(interrupted.getEntry()));
					assertThat(interrupted.getCharactersDelivered()).as("what the subscriber got: " + scenario)
						.isEqualTo(text.length());
				}
			}
			assertThat(completed.get(0).attempts()).as("the end counts every attempt: " + scenario)
				.isEqualTo(failed.size() + ((error == null) ? 1 : 0));
			assertThat(client.runtime.callsRunning).as("the call is no longer counted running: " + scenario)
				.hasValue(0);
			// One call per case and a fresh store: no degraded answer, so what is kept is this
			// call's, once the batch is written: a whole answer of one entry, nothing else.
			boolean keepable = error == null && last.getMetadata().get(FallbackMetadata.CONTINUED_FROM) == null;
			assertThat(kept.stored()).as("only a whole, unstitched answer is kept: " + scenario)
				.hasSize(keepable ? 1 : 0);
			if (keepable) {
				assertThat(kept.stored().values()).singleElement()
					.satisfies((answer) -> assertThat(((io.github.aifallback.chat.lastgood.LastGoodAnswer) answer)
						.generations().get(0).text()).as("the answer served is the one kept: " + scenario).isEqualTo(text));
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
			if (hedged && !stream) {
				// A lost race's thread settles its deployment's permit when its interrupted call
				// returns: after the call, so the race's threads are let end first.
				client.runtime.hedging.close();
				assertThat(client.runtime.hedging.awaitClosed(SLACK)).as("the race's threads end: " + scenario).isTrue();
			}
			assertThat(breakers).as("every permit is settled once: " + scenario)
				.allSatisfy((breaker) -> assertThat(breaker.permitsInFlight()).as(breaker.entry()).isZero());
			// A blocking race's loser is interrupted mid-call: given up, its deployment's permit
			// back, nothing to count.
			if (stream || !hedged) {
				for (int d = 0; d < deploymentCount; d++) {
					assertThat(first.circuitBreakers().get(d).snapshot().failures())
						.as("every failure of deployment " + d + " is on its circuit: " + scenario + ", drawn "
								+ deploymentModels.get(d).drawn)
						.isEqualTo(deploymentModels.get(d).failuresEnded.get());
				}
			}
		}
		return true;
	}

}

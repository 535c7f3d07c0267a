package io.github.aifallback.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.aifallback.autoconfigure.ResilientChatClientCustomizer;
import io.github.aifallback.chat.ChainEntry;
import io.github.aifallback.chat.entry.EntryModel;
import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureKind;
import io.github.aifallback.chat.MutableClock;
import io.github.aifallback.chat.ResilientChatClient;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * Replaces the auto-configured chain with fake entries (model id {@code model-NAME}) that
 * answer or fail on demand, classified by the kind they were told to fail with, on a test
 * clock and with no waiting between attempts.
 */
final class FakeChain implements ResilientChatClientCustomizer {

	final MutableClock clock = new MutableClock();

	private final Map<String, FakeModel> models = new LinkedHashMap<>();

	FakeChain(String... names) {
		for (String name : names) {
			this.models.put(name, new FakeModel(name));
		}
	}

	FakeModel model(String name) {
		return this.models.get(name);
	}

	@Override
	public void customize(ResilientChatClient.Builder builder) {
		builder.entries(this.models.values()
			.stream()
			.map((model) -> ChainEntry.of(model.name, "model-" + model.name, model))
			.toList())
			.classifier((ex) -> (ex instanceof FakeFailure fake) ? Failure.of(fake.kind)
					: Failure.of(FailureKind.BAD_REQUEST))
			.sleeper((duration) -> {
			})
			.clock(this.clock);
	}

	/** One fake model: answers, or fails with the kind it was given. */
	static final class FakeModel implements EntryModel {

		final String name;

		final AtomicInteger calls = new AtomicInteger();

		volatile FailureKind failing;

		/** The usage its answers report, or none. */
		volatile Usage usage;

		/** Runs inside each call, while the attempt is in flight. */
		volatile Runnable duringCall = () -> {
		};

		FakeModel(String name) {
			this.name = name;
		}

		@Override
		public ChatResponse call(Prompt prompt, Duration timeout) {
			this.calls.incrementAndGet();
			this.duringCall.run();
			FailureKind kind = this.failing;
			if (kind != null) {
				throw new FakeFailure(kind);
			}
			List<Generation> answer = List.of(new Generation(new AssistantMessage("from " + this.name)));
			Usage usage = this.usage;
			return (usage != null) ? new ChatResponse(answer, ChatResponseMetadata.builder().usage(usage).build())
					: new ChatResponse(answer);
		}

	}

	/** The failure a fake model throws. */
	static final class FakeFailure extends RuntimeException {

		final FailureKind kind;

		FakeFailure(FailureKind kind) {
			super(kind.name(), null, false, false);
			this.kind = kind;
		}

	}

}

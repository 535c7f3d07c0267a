package io.github.aifallback.chat.internal.support;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;

import io.github.aifallback.chat.failure.Failure;
import io.github.aifallback.chat.failure.FailureClassifier;

/**
 * A vendor SDK's exceptions, read by the adapter that knows them, for an adapter that wraps
 * any {@code ChatModel}: Spring AI builds its OpenAI and Anthropic models on their vendors'
 * SDKs, so an application's own {@code OpenAiChatModel} throws the openai-java SDK's
 * exceptions. Each vendor adapter provides one through {@link ServiceLoader}, so that the
 * generic adapter depends on no vendor package, and one whose SDK is absent is skipped.
 */
public interface VendorExceptions {

	/**
	 * Whether the exception is one of this SDK's.
	 * @param thrown the exception (not a cause of it)
	 * @return whether this SDK threw it
	 */
	boolean recognises(Throwable thrown);

	/**
	 * The failure the exception says. Never throws.
	 * @param thrown an exception this SDK threw
	 * @param clock the clock an HTTP-date {@code Retry-After} is read against
	 * @return the failure
	 */
	Failure classify(Throwable thrown, Clock clock);

	/**
	 * A provider for one SDK whose exceptions share a type, read by its adapter's classifier.
	 */
	abstract class OfType implements VendorExceptions {

		private final Class<? extends Throwable> type;

		private final Function<Clock, FailureClassifier> reader;

		/**
		 * @param type the SDK's base exception
		 * @param reader the adapter's classifier, reading HTTP dates against a clock
		 */
		protected OfType(Class<? extends Throwable> type, Function<Clock, FailureClassifier> reader) {
			this.type = type;
			this.reader = reader;
		}

		@Override
		public boolean recognises(Throwable thrown) {
			return this.type.isInstance(thrown);
		}

		@Override
		public Failure classify(Throwable thrown, Clock clock) {
			return this.reader.apply(clock).classify(thrown);
		}

	}

	/**
	 * The providers whose SDK is on the class path.
	 * @return the providers, in the order found
	 */
	static List<VendorExceptions> installed() {
		List<VendorExceptions> installed = new ArrayList<>();
		Iterator<VendorExceptions> found = ServiceLoader
			.load(VendorExceptions.class, VendorExceptions.class.getClassLoader())
			.iterator();
		while (true) {
			try {
				if (!found.hasNext()) {
					return List.copyOf(installed);
				}
				installed.add(found.next());
			}
			catch (ServiceConfigurationError | LinkageError ex) {
				// The provider's SDK is absent: its exceptions are never thrown here.
			}
		}
	}

}

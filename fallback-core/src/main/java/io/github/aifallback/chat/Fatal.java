package io.github.aifallback.chat;

/**
 * Which throwables the chain lets through: only the JVM's own failures (out of memory,
 * stack overflow), after which nothing can be trusted. Everything else thrown inside an
 * attempt or while handling its failure is a failed attempt, and the chain goes on.
 */
final class Fatal {

	private Fatal() {
	}

	static boolean isFatal(Throwable ex) {
		return ex instanceof VirtualMachineError;
	}

	static void rethrowIfFatal(Throwable ex) {
		if (ex instanceof VirtualMachineError error) {
			throw error;
		}
	}

}

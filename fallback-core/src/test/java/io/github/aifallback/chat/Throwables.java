package io.github.aifallback.chat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** What the redaction tests walk: a failure with everything it carries. */
final class Throwables {

	private Throwables() {
	}

	/** The exception, every cause and every suppressed exception, recursively. */
	static List<Throwable> everyThrowable(Throwable root) {
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		List<Throwable> found = new ArrayList<>();
		List<Throwable> pending = new ArrayList<>(List.of(root));
		while (!pending.isEmpty()) {
			Throwable t = pending.remove(pending.size() - 1);
			if (t == null || !seen.add(t)) {
				continue;
			}
			found.add(t);
			pending.add(t.getCause());
			pending.addAll(List.of(t.getSuppressed()));
		}
		return found;
	}

}

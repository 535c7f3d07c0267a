package io.github.aifallback.actuate.dashboard;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What the dashboard needs in a native image: its page, style and script (read from the
 * classpath at start-up) and Jackson's access to the records of its JSON.
 *
 * @since 0.1.0
 */
public class DashboardRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		for (String file : new String[] { "dashboard.html", "dashboard.css", "dashboard.js" }) {
			hints.resources().registerPattern(DashboardRoutes.RESOURCES + file);
		}
		new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(), DashboardView.State.class);
	}

}

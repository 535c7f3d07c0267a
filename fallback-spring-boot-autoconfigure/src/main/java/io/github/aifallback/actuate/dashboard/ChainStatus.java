package io.github.aifallback.actuate.dashboard;

import java.util.List;

import io.github.aifallback.chat.circuit.CircuitSnapshot;
import io.github.aifallback.chat.circuit.CircuitState;

/**
 * The chain's status in one line, most serious first: panic mode (calls go to entries whose
 * circuits refused them), every circuit open (the chain serves only last good answers, or
 * fails), then some circuits open or calls degraded or
 * failed over the window, else all is well.
 */
final class ChainStatus {

	private ChainStatus() {
	}

	static DashboardView.Status of(List<CircuitSnapshot> circuits, boolean panic, DashboardView.Calls calls,
			int windowMinutes) {
		long open = circuits.stream().filter((circuit) -> circuit.state() != CircuitState.CLOSED
				&& circuit.state() != CircuitState.HALF_OPEN).count();
		String window = "in the last " + windowMinutes + " minutes";
		String outcomes = calls.degraded() + " degraded and " + calls.failed() + " failed call(s) " + window;
		if (panic) {
			return new DashboardView.Status("panic", "Panic mode",
					"Most circuits are open on inferred evidence: calls go to the entries most likely to answer. "
							+ outcomes + ".");
		}
		if (!circuits.isEmpty() && open == circuits.size()) {
			return new DashboardView.Status("down", "Every entry is out of rotation",
					"All " + circuits.size() + " circuits are open: calls get a last good answer or fail. " + outcomes
							+ ".");
		}
		if (open > 0 || calls.degraded() > 0 || calls.failed() > 0) {
			return new DashboardView.Status("warning", (open > 0) ? open + " of " + circuits.size()
					+ " circuits open" : "Calls degraded or failed",
					"The chain still serves from the other entries. " + outcomes + ".");
		}
		return new DashboardView.Status("ok", "All entries in rotation",
				"Every circuit is closed; no degraded or failed call " + window + ".");
	}

}

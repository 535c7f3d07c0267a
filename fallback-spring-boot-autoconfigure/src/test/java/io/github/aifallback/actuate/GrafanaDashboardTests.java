package io.github.aifallback.actuate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/grafana/ai-fallback.json} is valid JSON whose panels query only the metrics
 * (and labels) the starter exports, under their Prometheus names: dots become underscores,
 * timers get {@code _seconds_count}, {@code _seconds_sum}, {@code _seconds_bucket} and
 * {@code _seconds_max}, counters {@code _total}.
 */
class GrafanaDashboardTests {

	private static final Pattern METRIC = Pattern.compile("ai_fallback_[a-z_]+");

	private static final Pattern GROUPING = Pattern.compile("by \\(([^)]*)\\)");

	@Test
	void whenThePanelsQueryMetricsThenEachExistsWithTheLabelsTheyGroupBy() throws Exception {
		JsonNode dashboard = JsonMapper.shared().readTree(Files.readString(Path.of("..", "docs", "grafana", "ai-fallback.json")));
		Set<String> metrics = new HashSet<>();
		Set<String> labels = new HashSet<>(Set.of("le"));
		exported(metrics, labels);

		List<String> titles = new ArrayList<>();
		Set<String> queried = new HashSet<>();
		for (JsonNode panel : dashboard.path("panels")) {
			titles.add(panel.path("title").asString());
			assertThat(panel.path("targets").isEmpty()).as("panel %s has a query", panel.path("title")).isFalse();
			for (JsonNode target : panel.path("targets")) {
				String expr = target.path("expr").asString();
				Matcher metric = METRIC.matcher(expr);
				assertThat(metric.find()).as(expr).isTrue();
				do {
					queried.add(metric.group());
					assertThat(metrics).as("%s in %s", metric.group(), expr).contains(metric.group());
				}
				while (metric.find());
				Matcher grouping = GROUPING.matcher(expr);
				while (grouping.find()) {
					for (String label : grouping.group(1).split(",")) {
						assertThat(labels).as("label %s in %s", label.trim(), expr).contains(label.trim());
					}
				}
			}
		}
		assertThat(titles).contains("Calls by outcome", "Served by entry", "Attempts by result",
				"Circuit state per entry", "Call latency");
		assertThat(queried).contains("ai_fallback_call_seconds_count", "ai_fallback_call_seconds_bucket",
				"ai_fallback_attempt_seconds_count", "ai_fallback_circuit_state", "ai_fallback_circuit_failure_rate",
				"ai_fallback_retries_denied_total", "ai_fallback_hedges_total", "ai_fallback_token_usage_total");
	}

	/** The Prometheus names and labels of what the starter's meters record. */
	private static void exported(Set<String> metrics, Set<String> labels) {
		for (Meter meter : ExportedMeters.all()) {
			String base = meter.getId().getName().replace('.', '_');
			if (meter instanceof Timer) {
				for (String suffix : List.of("_seconds_count", "_seconds_sum", "_seconds_bucket", "_seconds_max")) {
					metrics.add(base + suffix);
				}
			}
			else if (meter instanceof Counter) {
				metrics.add(base + "_total");
			}
			else if (meter instanceof LongTaskTimer) {
				for (String suffix : List.of("_seconds_active_count", "_seconds_duration_sum", "_seconds_max")) {
					metrics.add(base + suffix);
				}
			}
			else if (meter instanceof Gauge) {
				metrics.add(base);
			}
			for (Tag tag : meter.getId().getTags()) {
				labels.add(tag.getKey().replace('.', '_'));
			}
		}
	}

}

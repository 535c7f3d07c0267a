package io.github.aifallback.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table of meters in {@code docs/metrics.md} and the meters the starter registers
 * agree: every meter is documented with its type and tags, and nothing documented is
 * missing, so a renamed or added meter cannot go unnoticed.
 */
class MetricsDocumentationTests {

	private static final Pattern ROW = Pattern.compile("^\\| `(ai\\.fallback\\.[a-z.]+)` \\| ([a-z ]+) \\| ([^|]*) \\|");

	private static final Pattern TAG = Pattern.compile("`([a-z.]+)`");

	@Test
	void whenTheStarterRegistersItsMetersThenTheDocumentedTableListsExactlyThemWithTheirTypesAndTags()
			throws IOException {
		Map<String, String> documented = documented();
		Map<String, String> registered = new TreeMap<>();
		for (Meter meter : ExportedMeters.all()) {
			Set<String> tags = meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toCollection(TreeSet::new));
			String row = type(meter) + " " + tags;
			String previous = registered.put(meter.getId().getName(), row);
			assertThat(previous).as("one type and tag set per meter name: %s", meter.getId().getName())
				.isIn(null, row);
		}

		assertThat(documented).isEqualTo(registered);
	}

	private static Map<String, String> documented() throws IOException {
		Map<String, String> rows = new TreeMap<>();
		for (String line : Files.readAllLines(Path.of("..", "docs", "metrics.md"))) {
			Matcher row = ROW.matcher(line);
			if (row.find()) {
				Set<String> tags = new TreeSet<>();
				// Tags are the backticked names outside parentheses: what is inside lists values.
				Matcher tag = TAG.matcher(row.group(3).replaceAll("\\([^)]*\\)", ""));
				while (tag.find()) {
					tags.add(tag.group(1));
				}
				assertThat(rows.put(row.group(1), row.group(2).trim() + " " + tags)).as("documented once: %s", row.group(1))
					.isNull();
			}
		}
		assertThat(rows).as("docs/metrics.md has a table of meters").isNotEmpty();
		return rows;
	}

	private static String type(Meter meter) {
		if (meter instanceof LongTaskTimer) {
			return "long task timer";
		}
		if (meter instanceof Timer) {
			return "timer";
		}
		if (meter instanceof Counter) {
			return "counter";
		}
		if (meter instanceof Gauge) {
			return "gauge";
		}
		return Arrays.toString(meter.getClass().getInterfaces());
	}

}
